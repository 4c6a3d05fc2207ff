using NUnit.Framework;
using Wirecap.Linux.Probes;
using static Wirecap.Tests.Linux.Probes.ProbeTestSupport;

namespace Wirecap.Tests.Linux.Probes;

/// <summary>
/// Function probes where the kernel allows them, and a message naming the cause where it does not. On
/// this machine kprobes are compiled out and fentry programs are refused with EPERM, so these tests
/// check the messages; on a kernel that offers them they would have to capture.
/// </summary>
[NonParallelizable]
public class ProbeAvailabilityTests
{
    [Test]
    public void AKprobeFailsNamingTheMissingKernelFeature()
    {
        RequirePrivilege();
        if (Directory.Exists("/sys/bus/event_source/devices/kprobe"))
            Assert.Ignore("this kernel has kprobes: KprobeCaptureTests captures through them");
        var e = Assert.Throws<ProbeException>(() => ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["kprobe:ip_rcv"] }))!;
        Assert.That(e.Message, Does.Contain("kprobe:ip_rcv").And.Contain("CONFIG_KPROBES is not set"));
    }

    [Test]
    public void FentryCapturesOrFailsNamingTheRefusal()
    {
        RequirePrivilege();
        ProbeCapture? capture = null;
        try
        {
            capture = ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["fentry:ip_rcv"] });
        }
        catch (ProbeException e) when (e.Message.Contains("EPERM"))
        {
            Assert.That(e.Message, Does.Contain("fentry:ip_rcv").And.Contain("BPF trampolines").And.Contain("security policy"));
            return;
        }
        using (capture)
            Assert.That(capture.Probes[0].Attachment, Is.EqualTo("fentry"));
    }

    [Test]
    public void ATargetWithoutAnSkbOrUnknownToBtfIsRefusedByName()
    {
        RequirePrivilege();
        Assert.That(() => ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:sched:sched_switch"] }),
            Throws.TypeOf<ProbeException>().With.Message.Contains("has no struct sk_buff * argument"));
        Assert.That(() => ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:net:no_such_tracepoint"] }),
            Throws.TypeOf<ProbeException>().With.Message.Contains("no tracepoint 'no_such_tracepoint'"));
        Assert.That(() => ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:skb:netif_receive_skb"] }),
            Throws.TypeOf<ProbeException>().With.Message.Contains("belongs to system 'net', not 'skb'"));
        Assert.That(() => ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["fentry:schedule"] }),
            Throws.TypeOf<ProbeException>().With.Message.Contains("takes no struct sk_buff *"));
        Assert.That(() => ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:net:netif_receive_skb"], Netns = "wirecap-no-such-netns" }),
            Throws.TypeOf<ProbeException>().With.Message.Contains("network namespace 'wirecap-no-such-netns' does not exist"));
    }
}
