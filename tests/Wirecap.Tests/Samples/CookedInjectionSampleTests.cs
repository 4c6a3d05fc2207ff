using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Samples;

/// <summary>samples/CookedInjection, run as its own process: tshark dissects its frames as CAN and PPP.</summary>
[TestFixture]
public sealed class CookedInjectionSampleTests
{
    [Test]
    public void TheHarnessFramesDissectAsCanAndPpp()
    {
        Tool.Require("tshark");
        string dir = Path.Combine(Path.GetTempPath(), "capture-sample-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string output = Path.Combine(dir, "harness.pcapng");
            string sample = Path.Combine(TestContext.CurrentContext.TestDirectory, "CookedInjectionSample.dll");
            var run = Tool.RunOk("dotnet", $"\"{sample}\" \"{output}\"", timeoutMs: 60_000);
            Assert.That(run, Does.Contain("8 frames injected"));

            var lines = Tool.RunOk("tshark", $"-r \"{output}\" -T fields -E separator=/s -e frame.protocols -e sll.pkttype -e can.id -e ppp.protocol")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Is.EqualTo(new[]
            {
                "sll:can:data 4 2015 ", "sll:can:data 0 2024 ", "sll:can:data 4 2015 ", "sll:can:data 0 2024 ",
                "sll:ppp:lcp 4  0xc021", "sll:ppp:lcp 0  0xc021", "sll:ppp:lcp 4  0xc021", "sll:ppp:lcp 0  0xc021",
            }));
            var lcp = Tool.RunOk("tshark", $"-r \"{output}\" -Y lcp -T fields -e lcp.opt.mru");
            Assert.That(lcp.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.All.EqualTo("1500"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
