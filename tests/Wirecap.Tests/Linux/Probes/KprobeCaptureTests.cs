using NUnit.Framework;
using Wirecap.Ebpf;
using Wirecap.Linux.Probes;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Linux.Probes.ProbeTestSupport;

namespace Wirecap.Tests.Linux.Probes;

/// <summary>
/// Probes at kernel functions through kprobes, on real traffic between two namespaces. They need a kernel with
/// kprobes; where it has none (CONFIG_KPROBES not set) they are skipped with that reason even under
/// CAPTURE_REQUIRE_PRIVILEGED=1, since no privilege brings the hook back (<see cref="ProbeAvailabilityTests"/> checks
/// the message such a kernel gives).
/// </summary>
[NonParallelizable]
public class KprobeCaptureTests
{
    private const int EchoRequest = 8;

    [Test]
    public void PingsAreSeenAtIpRcvAndAtAFunctionTakingTheSkbThirdWithTheBytesTcpdumpSees()
    {
        RequirePrivilege();
        RequireKprobes();
        using var net = new PairedNamespaces();
        using var tcpdump = new TcpdumpRecorder(net.NameB, net.DeviceB, "icmp[icmptype] == icmp-echo");
        using var capture = ProbeCapture.Open(new ProbeCaptureOptions
        {
            // ip_local_deliver_finish(struct net *, struct sock *, struct sk_buff *): the skb in the third argument register.
            Probes = ["kprobe:ip_rcv", "kprobe:ip_local_deliver_finish"],
            Netns = net.NameB,
            FilterExpression = "icmp",
        });
        Assert.That(capture.Probes.Select(p => (p.Attachment, p.SkbArgument, p.Comment)), Is.EqualTo(new[]
        {
            ("kprobe", 0, "probe=kprobe:ip_rcv"), ("kprobe", 2, "probe=kprobe:ip_local_deliver_finish"),
        }));

        var packets = Collect(capture, () => Assert.That(net.PingBFromA(3), Is.EqualTo(3), "replies"));
        var fromTcpdump = tcpdump.StopAndRead(3);

        var requests = packets.Where(p => IcmpType(p.Data) == EchoRequest && Between(p.Data, net.AddressA, net.AddressB)).ToList();
        var atIpRcv = requests.Where(p => p.Probe.Spec.Target == "ip_rcv").ToList();
        var delivered = requests.Where(p => p.Probe.Spec.Target == "ip_local_deliver_finish").ToList();
        Assert.That((atIpRcv.Count, delivered.Count), Is.EqualTo((3, 3)), string.Join("; ", packets.Select(p => $"{p.Probe.Spec} {Convert.ToHexString(p.Data)}")));
        Assert.That(packets.Select(p => p.NetnsInode), Is.All.EqualTo(NetworkNamespace.InodeOf(net.NameB)));
        Assert.That(requests.Select(p => p.FakeEthernetHeader), Is.All.False, "veth frames have a MAC header");
        foreach (var sightings in new[] { atIpRcv, delivered })
            Assert.That(sightings.Select(p => Convert.ToHexString(p.Data)).Order(), Is.EqualTo(fromTcpdump.Select(Convert.ToHexString).Order()),
                "the bytes tcpdump captured on B's veth");
        for (int i = 0; i < 3; i++)
            Assert.That(delivered[i].Tracking, Is.EqualTo(atIpRcv[i].Tracking), "one skb from ip_rcv to its delivery");
    }

    [Test]
    public void AFunctionTheKernelCannotProbeFailsNamingIt()
    {
        RequirePrivilege();
        RequireKprobes();
        // No kernel symbol has this name: the kprobe PMU answers ENOENT.
        var e = Assert.Catch<EbpfException>(() => KprobeEvent.Open("wirecap_no_such_function"))!;
        Assert.That(e.Message, Does.Contain("perf_event_open").And.Contain("wirecap_no_such_function"));
        Assert.That(e.Message, Does.Contain("available_filter_functions").Or.Contain("blacklist"));
    }

    private static void RequireKprobes()
    {
        if (!KprobeEvent.KernelHasKprobes)
            Assert.Ignore($"this kernel has no kprobes (CONFIG_KPROBES is not set: no {KprobeEvent.PmuPath}); no privilege brings the hook back");
    }
}
