using System.Text;
using NUnit.Framework;
using Wirecap.Formats;
using Wirecap.Linux.Probes;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Linux.Probes.ProbeTestSupport;

namespace Wirecap.Tests.Linux.Probes;

/// <summary>Probes at tracepoints on real traffic between two namespaces; tcpdump, tshark and capinfos as oracles.</summary>
[NonParallelizable]
public class ProbeCaptureTests : TempDirectoryFixture
{
    private const int EchoRequest = 8, EchoReply = 0;

    [TestCase(false, "tp_btf")]
    [TestCase(true, "raw_tp")]
    public void PingsAreSeenAtReceiveAndTransmitInTheirNamespaceOnlyWithTheBytesTcpdumpSees(bool raw, string attachment)
    {
        RequirePrivilege();
        using var net = new PairedNamespaces();
        uint inodeB = NetworkNamespace.InodeOf(net.NameB);
        using var tcpdump = new TcpdumpRecorder(net.NameB, net.DeviceB, "icmp");
        using var capture = ProbeCapture.Open(new ProbeCaptureOptions
        {
            Probes = ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit"],
            Netns = net.NameB,
            RawTracepoints = raw,
        });
        Assert.That(capture.Probes.Select(p => p.Attachment), Is.All.EqualTo(attachment));
        Assert.That(capture.Probes.Select(p => p.Comment),
            Is.EqualTo(new[] { "probe=raw_tracepoint:net:netif_receive_skb", "probe=raw_tracepoint:net:net_dev_start_xmit" }));

        var packets = Collect(capture, () => Assert.That(net.PingBFromA(3), Is.EqualTo(3), "replies"));
        var fromTcpdump = tcpdump.StopAndRead(6);

        Assert.That(packets.Select(p => p.NetnsInode), Is.All.EqualTo(inodeB), "only B's namespace");
        var icmp = packets.Where(p => IcmpType(p.Data) >= 0).ToList();
        var received = icmp.Where(p => p.Probe.Spec.Target == "netif_receive_skb").ToList();
        var sent = icmp.Where(p => p.Probe.Spec.Target == "net_dev_start_xmit").ToList();
        Assert.That(received.Select(p => (IcmpType(p.Data), Between(p.Data, net.AddressA, net.AddressB))), Is.All.EqualTo((EchoRequest, true)));
        Assert.That(sent.Select(p => (IcmpType(p.Data), Between(p.Data, net.AddressB, net.AddressA))), Is.All.EqualTo((EchoReply, true)));
        Assert.That((received.Count, sent.Count), Is.EqualTo((3, 3)));
        Assert.That(icmp.Select(p => p.FakeEthernetHeader), Is.All.False, "veth frames have a MAC header");
        Assert.That(icmp.Select(p => p.OriginalLength == p.Data.Length), Is.All.True, "whole frames within the snap length");

        Assert.That(fromTcpdump, Has.Count.EqualTo(6));
        Assert.That(icmp.Select(p => Convert.ToHexString(p.Data)).Order(), Is.EqualTo(fromTcpdump.Select(Convert.ToHexString).Order()),
            "the bytes tcpdump captured on B's veth");
        int ifindexB = int.Parse(PairedNamespaces.Exec(net.NameB, $"cat /sys/class/net/{net.DeviceB}/ifindex").Trim());
        Assert.That(icmp.Select(p => p.Ifindex), Is.All.EqualTo(ifindexB));
    }

    [Test]
    public void ThePcapngHasOneInterfacePerProbeAndRetisCommentsThatTcpdumpTsharkAndCapinfosRead()
    {
        RequirePrivilege();
        Tool.Require("tshark");
        Tool.Require("capinfos");
        using var net = new PairedNamespaces();
        string path = Path.Combine(TempDir, "probes.pcapng");
        using (var capture = ProbeCapture.Open(new ProbeCaptureOptions
        {
            Probes = ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit"],
            Netns = net.NameB,
            FilterExpression = "icmp",
        }))
        using (var writer = CaptureWriter.Create(path, CaptureFormat.PcapNg, capture.WriterOptions(CaptureFormat.PcapNg)))
        {
            using var stop = new CancellationTokenSource();
            var worker = new Thread(() => capture.CaptureTo(writer, 4, stop.Token));
            worker.Start();
            Assert.That(net.PingBFromA(2), Is.EqualTo(2));
            Assert.That(worker.Join(TimeSpan.FromSeconds(10)), Is.True, "-c 4 reached");
        }

        var tcpdump = Tool.RunOk("tcpdump", $"-nn -r {path}");
        Assert.That(tcpdump.Split('\n').Count(l => l.Contains("ICMP echo request")), Is.EqualTo(2), tcpdump);
        Assert.That(tcpdump.Split('\n').Count(l => l.Contains("ICMP echo reply")), Is.EqualTo(2), tcpdump);
        var fields = Tool.RunOk("tshark", $"-r {path} -T fields -e frame.interface_name -e frame.comment -e icmp.type")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Order().ToList();
        Assert.That(fields, Is.EqualTo(new[]
        {
            "raw_tracepoint:net:net_dev_start_xmit\tprobe=raw_tracepoint:net:net_dev_start_xmit\t0",
            "raw_tracepoint:net:net_dev_start_xmit\tprobe=raw_tracepoint:net:net_dev_start_xmit\t0",
            "raw_tracepoint:net:netif_receive_skb\tprobe=raw_tracepoint:net:netif_receive_skb\t8",
            "raw_tracepoint:net:netif_receive_skb\tprobe=raw_tracepoint:net:netif_receive_skb\t8",
        }));
        // capinfos 4.0 (Debian 12) shows interfaces but not packet comments (its -p came in 4.2): tshark checked those.
        var capinfos = Tool.RunOk("capinfos", $"-I {path}");
        Assert.That(capinfos, Does.Contain("Number of interfaces in file: 2"));
        Assert.That(capinfos, Does.Contain("Name = raw_tracepoint:net:netif_receive_skb").And.Contain("Name = raw_tracepoint:net:net_dev_start_xmit"));
    }

    [Test]
    public void ADatagramToAClosedPortIsCaughtAtKfreeSkbWithItsDropReason()
    {
        RequirePrivilege();
        using var net = new PairedNamespaces();
        net.SendUdpFromA(9, Encoding.ASCII.GetBytes("warm up ARP"));
        Thread.Sleep(100);
        string path = Path.Combine(TempDir, "drops.pcapng");
        List<ProbePacket> packets;
        using (var capture = ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:skb:kfree_skb"], Netns = net.NameB }))
            packets = Collect(capture, () => net.SendUdpFromA(9, Encoding.ASCII.GetBytes("nobody listens")));

        var drop = packets.Where(p => UdpDestinationPort(p.Data) == 9 && Between(p.Data, net.AddressA, net.AddressB)).ToList();
        Assert.That(drop, Has.Count.EqualTo(1), string.Join("; ", packets.Select(p => $"{p.DropReason} {Convert.ToHexString(p.Data)}")));
        Assert.That(drop[0].DropReason, Is.EqualTo("NO_SOCKET"));
        Assert.That(drop[0].Probe.Comment, Is.EqualTo("probe=raw_tracepoint:skb:kfree_skb"));
        Assert.That(Encoding.ASCII.GetString(drop[0].Data[^14..]), Is.EqualTo("nobody listens"));
    }

    [Test]
    public void AnEchoRequestDeliveredToItsProtocolIsSeenAtConsumeSkbWithoutADropReason()
    {
        // icmp_rcv frees a request it answered with consume_skb (not a drop): B's two requests are seen there.
        RequirePrivilege();
        using var net = new PairedNamespaces();
        List<ProbePacket> packets;
        using (var capture = ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:skb:consume_skb"], Netns = net.NameB, FilterExpression = "icmp" }))
            packets = Collect(capture, () => Assert.That(net.PingBFromA(2), Is.EqualTo(2)));
        var requests = packets.Where(p => IcmpType(p.Data) == EchoRequest && Between(p.Data, net.AddressA, net.AddressB)).ToList();
        Assert.That(requests, Has.Count.EqualTo(2), string.Join("; ", packets.Select(p => Convert.ToHexString(p.Data))));
        Assert.That(requests.Select(p => (p.Probe.Comment, p.DropReason)), Is.All.EqualTo(("probe=raw_tracepoint:skb:consume_skb", (string?)null)));
    }

    [Test]
    public void TheDropReasonBecomesAFurtherPcapngComment()
    {
        RequirePrivilege();
        Tool.Require("tshark");
        using var net = new PairedNamespaces();
        net.SendUdpFromA(9, [1]);
        Thread.Sleep(100);
        string path = Path.Combine(TempDir, "drop.pcapng");
        using (var capture = ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:skb:kfree_skb"], Netns = net.NameB, FilterExpression = "udp port 9" }))
        using (var writer = CaptureWriter.Create(path, CaptureFormat.PcapNg))
        {
            var worker = new Thread(() => capture.CaptureTo(writer, 1));
            worker.Start();
            net.SendUdpFromA(9, [2]);
            Assert.That(worker.Join(TimeSpan.FromSeconds(10)), Is.True, "the drop arrived");
        }
        var comments = Tool.RunOk("tshark", $"-r {path} -T fields -e frame.comment").Trim();
        Assert.That(comments, Is.EqualTo("probe=raw_tracepoint:skb:kfree_skb,drop_reason=NO_SOCKET"));
    }

    [Test]
    public void EachSightingCarriesTheMarkItsSkbHasThere()
    {
        // The sender's SO_MARK is on the skb A transmits; the veth scrubs it when the skb crosses into B's namespace.
        RequirePrivilege();
        using var net = new PairedNamespaces();
        using var capture = ProbeCapture.Open(new ProbeCaptureOptions
        {
            Probes = ["tp:net:net_dev_start_xmit", "tp:net:netif_receive_skb"],
            FilterExpression = $"udp dst port 7 and dst host {net.AddressB}",
        });
        var packets = Collect(capture, () =>
        {
            net.SendUdpFromA(7, [1], mark: 0x4d41_524b);
            net.SendUdpFromA(7, [2]);
        });
        uint a = NetworkNamespace.InodeOf(net.NameA), b = NetworkNamespace.InodeOf(net.NameB);
        var seen = packets.Select(p => (p.Data[^1], p.Probe.Spec.Target, p.NetnsInode == a ? "A" : p.NetnsInode == b ? "B" : "?", p.Mark)).ToList();
        Assert.That(seen, Is.EquivalentTo(new[]
        {
            ((byte)1, "net_dev_start_xmit", "A", 0x4d41_524bu), ((byte)1, "netif_receive_skb", "B", 0u),
            ((byte)2, "net_dev_start_xmit", "A", 0u), ((byte)2, "netif_receive_skb", "B", 0u),
        }));
    }

    [Test]
    public void AFilterKeepsWhatLibpcapKeeps()
    {
        RequirePrivilege();
        using var net = new PairedNamespaces();
        const string expression = "icmp[icmptype] == icmp-echo or udp port 7";
        var options = new ProbeCaptureOptions { Probes = ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit"], Netns = net.NameB };
        using var all = ProbeCapture.Open(options);
        options.FilterExpression = expression;
        using var filtered = ProbeCapture.Open(options);
        List<ProbePacket> kept = [];
        var everything = Collect(all, () => kept = Collect(filtered, () =>
        {
            net.PingBFromA(2);
            net.SendUdpFromA(7, [7]);
            net.SendUdpFromA(8, [8]);
        }), settleMs: 50);

        string path = Path.Combine(TempDir, "all.pcap");
        using (var writer = CaptureWriter.Create(path, CaptureFormat.Pcap))
            foreach (var p in everything) writer.Write(p.Data, p.TimestampNanoseconds, p.OriginalLength);
        var libpcap = TcpdumpRecorder.ReadPcap(WriteFiltered(path, expression)).Select(Convert.ToHexString).Order().ToList();
        Assert.That(libpcap, Has.Count.GreaterThanOrEqualTo(3), "2 echo requests and the datagram to port 7");
        Assert.That(kept.Select(p => Convert.ToHexString(p.Data)).Order(), Is.EqualTo(libpcap));
        var statistics = filtered.GetStatistics();
        Assert.That(statistics.Filtered, Is.GreaterThan(0), "echo replies, the port-8 datagram and ICMP errors were filtered out");
        // The filter runs in the probe: a rejected packet's record is discarded there and never read here.
        Assert.That(statistics.Seen, Is.EqualTo(kept.Count), "every record read was kept");
    }

    [Test]
    public void OnePacketsSightingsAtSeveralProbesShareATrackingId()
    {
        RequirePrivilege();
        using var net = new PairedNamespaces();
        uint a = NetworkNamespace.InodeOf(net.NameA), b = NetworkNamespace.InodeOf(net.NameB);
        using var capture = ProbeCapture.Open(new ProbeCaptureOptions
        {
            Probes = ["tp:net:net_dev_start_xmit", "tp:net:netif_receive_skb"],
            FilterExpression = "icmp[icmptype] == icmp-echo",
        });
        var packets = Collect(capture, () => net.PingBFromA(2)).Where(p => Between(p.Data, net.AddressA, net.AddressB)).ToList();

        var sentInA = packets.Where(p => p.NetnsInode == a && p.Probe.Spec.Target == "net_dev_start_xmit").ToList();
        var receivedInB = packets.Where(p => p.NetnsInode == b && p.Probe.Spec.Target == "netif_receive_skb").ToList();
        Assert.That((sentInA.Count, receivedInB.Count), Is.EqualTo((2, 2)));
        for (int i = 0; i < 2; i++)
        {
            Assert.That(receivedInB[i].Tracking, Is.EqualTo(sentInA[i].Tracking), "the veth hands the same skb across");
            Assert.That(receivedInB[i].Tracking.FirstSeen, Is.EqualTo(sentInA[i].KernelTime), "first seen when sent");
        }
        Assert.That(sentInA[0].Tracking, Is.Not.EqualTo(sentInA[1].Tracking), "two pings, two packets");
    }

    private string WriteFiltered(string path, string expression)
    {
        string output = Path.Combine(TempDir, "libpcap.pcap");
        Tool.RunOk("tcpdump", $"-r {path} -w {output} \"{expression}\"");
        return output;
    }
}
