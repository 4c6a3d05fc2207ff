using NUnit.Framework;
using Wirecap.Ebpf;
using Wirecap.Linux.Tc;
using Wirecap.Linux.Tc.Netlink;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Linux.Tc.TcTestSupport;

namespace Wirecap.Tests.Linux.Tc;

/// <summary>What the TC capture does when the kernel refuses tcx: fall back to clsact, and when the kernel lacks that
/// too, one refusal that names both and what to do. A kernel without clsact is the real kernel asked for a qdisc kind
/// it does not have, which it refuses the way a kernel built without CONFIG_NET_SCH_INGRESS refuses clsact.</summary>
[NonParallelizable]
public class TcHookFallbackTests
{
    private const string MissingKind = "wirecap-no-such-qdisc";

    // What EbpfLink.Create throws where the kernel has no tcx (the CLI test under native-shims/deny_bpf shows it).
    private static readonly EbpfNotSupportedException NoTcx = new("bpf(BPF_LINK_CREATE)", 22,
        "bpf(BPF_LINK_CREATE) failed for tcx ingress: this kernel has no tcx (needs Linux 6.6 with CONFIG_NET_XGRESS)");

    [Test]
    public void TheKernelRefusesAQdiscKindItLacksAsNotSupported()
    {
        using var net = new TestNetwork(addresses: false);
        var error = net.Run(() => Assert.Throws<EbpfNotSupportedException>(() =>
            ClsactHook.Open(RouteSocket.Open(), net.IndexOf(net.InnerB), net.InnerB, MissingKind)));
        Assert.That(error!.ErrorNumber, Is.EqualTo(2), "ENOENT: the kernel knows no such qdisc kind");
        Assert.That(error.Message, Does.Contain($"RTM_NEWQDISC {MissingKind}").And.Contain(net.InnerB).And.Contain("unknown"),
            "the kernel's own reason (extended ack)");
        Assert.That(Qdiscs(net, net.InnerB), Does.Not.Contain(MissingKind).And.Not.Contain("clsact"));
    }

    [Test]
    public void WithNeitherTcxNorClsactTheRefusalNamesBothAndTheWayOut()
    {
        using var net = new TestNetwork(addresses: false);
        int index = net.IndexOf(net.InnerB);
        var error = net.Run(() => Assert.Throws<EbpfNotSupportedException>(() =>
            TcCapture.FallBackToClsact(net.InnerB, NoTcx, () => ClsactHook.Open(RouteSocket.Open(), index, net.InnerB, MissingKind).Dispose())));
        Assert.That(error!.Message, Does.StartWith($"cannot attach a TC program to '{net.InnerB}': this kernel has no tcx (bpf(BPF_LINK_CREATE) failed"));
        Assert.That(error.Message, Does.Contain($"and no clsact qdisc with cls_bpf (rtnetlink(RTM_NEWQDISC {MissingKind}) failed"));
        Assert.That(error.Message, Does.Contain("CONFIG_NET_XGRESS").And.Contain("CONFIG_NET_SCH_INGRESS").And.Contain("--datapath packet"));
    }

    [Test]
    public void AClsactFailureOtherThanAMissingHookIsNotReportedAsOne()
    {
        // An interface index that names nothing: the kernel answers ENODEV, which is not a kernel without clsact.
        using var net = new TestNetwork(addresses: false);
        var error = net.Run(() => Assert.Catch<EbpfException>(() =>
            TcCapture.FallBackToClsact("gone0", NoTcx, () => ClsactHook.Open(RouteSocket.Open(), 999_999, "gone0").Dispose())));
        Assert.That(error, Is.Not.InstanceOf<EbpfNotSupportedException>(), error!.Message);
        Assert.That(error.Message, Does.Contain("RTM_NEWQDISC clsact").And.Contain("'gone0'").And.Not.Contain("no tcx"));
    }

    [Test]
    public void WhereClsactWorksTheFallbackHooksInThere()
    {
        using var net = new TestNetwork(addresses: false);
        int index = net.IndexOf(net.InnerB);
        net.Run(() =>
        {
            ClsactHook? hook = null;
            TcCapture.FallBackToClsact(net.InnerB, NoTcx, () => hook = ClsactHook.Open(RouteSocket.Open(), index, net.InnerB));
            using (hook)
                Assert.That(Qdiscs(net, net.InnerB), Does.Contain("clsact"));
        });
        Assert.That(Qdiscs(net, net.InnerB), Does.Not.Contain("clsact"), "the qdisc we added goes with the hook");
    }
}
