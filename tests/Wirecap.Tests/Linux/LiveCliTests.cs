using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class LiveCliTests
{
    internal static string Cli => Path.Combine(AppContext.BaseDirectory, "Wirecap.Cli.dll");

    [Test]
    public void CaptureWritesTheFilteredFramesAndPrintsTcpdumpsCounts()
    {
        using var net = new TestNetwork(addresses: false);
        var file = Path.Combine(Path.GetTempPath(), $"capture-cli-{Guid.NewGuid():N}.pcap");
        try
        {
            using var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB} -c 10 -s 100 -Q in -B 1024 --immediate-mode -w {file} udp port 9999", "listening on");
            var wanted = Enumerable.Range(0, 10).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 200, 9999)).ToList();
            net.Run(() =>
            {
                using var injector = new FrameInjector(net.InnerA);
                for (var i = 0; i < wanted.Count; i++)
                {
                    injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 200, 7777));
                    injector.Send(wanted[i]);
                }
            });
            Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
            FrameAssert.Same(wanted.Select(f => f[..100]).ToList(), TcpdumpRecorder.ReadPcap(file), "the file holds the matching frames cut to 100 bytes");
            Assert.That(cli.Stderr, Does.Contain($"listening on {net.InnerB}, link-type EN10MB (Ethernet), snapshot length 100 bytes"));
            Assert.That(cli.Stderr, Does.Contain("10 packets captured").And.Contain("10 packets received by filter").And.Contain("0 packets dropped by kernel"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void SigtermStopsTheCaptureAndTheCountsArePrinted()
    {
        using var net = new TestNetwork(addresses: false);
        using var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB}", "listening on");
        net.Run(() =>
        {
            using var injector = new FrameInjector(net.InnerA);
            for (var i = 0; i < 3; i++) injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 20));
        });
        Thread.Sleep(300);
        cli.Signal(15);
        Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(5)), Is.Zero, cli.Stderr);
        Assert.That(cli.Stderr, Does.Contain("3 packets captured"));
        Assert.That(cli.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3), "one line per packet");
    }

    [Test]
    public void WithoutCapNetRawTheCommandSaysWhatIsNeeded()
    {
        Privilege.RequireRoot("drops a capability");
        Tool.Require("capsh");
        var (code, _, stderr) = Tool.Run("capsh", $"--drop=cap_net_raw -- -c \"dotnet {Cli} -i lo -c 1\"");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("needs CAP_NET_RAW: run as root or grant the capability"));
    }

    [Test]
    public void ListingShowsTheNamespacesInterfaces()
    {
        using var net = new TestNetwork();
        var output = net.Exec($"dotnet {Cli} -D");
        Assert.That(output, Does.Contain($".{net.InnerA} [Up, Running, Connected]").And.Contain(".lo [Up, Running, Loopback]")
            .And.Contain(".any (Pseudo-device that captures on all interfaces) [Up, Running]"));
    }
}
