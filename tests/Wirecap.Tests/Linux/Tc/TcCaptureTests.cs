using NUnit.Framework;
using Wirecap.Bpf;
using Wirecap.Formats;
using Wirecap.Linux;
using Wirecap.Linux.Tc;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Linux.Tc.TcTestSupport;

namespace Wirecap.Tests.Linux.Tc;

/// <summary>TcCapture through the library: what it captures at ingress and egress, with what metadata, through
/// which hook, and what it leaves behind.</summary>
[NonParallelizable]
public class TcCaptureTests
{
    [TestCase(TcAttachMode.Tcx)]
    [TestCase(TcAttachMode.Clsact)]
    public void BothDirectionsDeliverTheFramesWithTheirDirectionFilteredAndCut(TcAttachMode mode)
    {
        using var net = new TestNetwork(addresses: false);
        using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, FilterExpression = "udp port 9999", SnapLength = 80, Attach = mode });
        Assert.That(capture.AttachedWith, Is.EqualTo(mode));
        var received = Enumerable.Range(0, 3).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 100)).ToList();
        var sent = Enumerable.Range(10, 3).Select(i => TestFrames.Udp(TestFrames.MacA, TestFrames.MacB, i, 20)).ToList();
        net.Run(() =>
        {
            using var intoB = new FrameInjector(net.InnerA);
            using var outOfB = new FrameInjector(net.InnerB);
            for (int i = 0; i < 3; i++)
            {
                intoB.Send(received[i]);
                intoB.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 100, destinationPort: 7777));
                outOfB.Send(sent[i]);
            }
        });
        var frames = Drain(capture, 6);
        // Each direction in order; how the two interleave depends on when the receive softirq runs.
        var ingress = frames.Where(f => f.Metadata.PacketType != LinuxPacketType.Outgoing).ToList();
        var egress = frames.Where(f => f.Metadata.PacketType == LinuxPacketType.Outgoing).ToList();
        FrameAssert.Same(received.Select(f => f[..80]).ToList(), ingress.Select(f => f.Data).ToList(), "the received port-9999 frames, cut to 80 bytes");
        FrameAssert.Same(sent, egress.Select(f => f.Data).ToList(), "the sent port-9999 frames");
        Assert.That(ingress.Select(f => f.Metadata.PacketType), Is.All.EqualTo(LinuxPacketType.OtherHost), "sent to a MAC address not the device's");
        Assert.That(ingress.Select(f => f.OriginalLength), Is.All.EqualTo(received[0].Length));
        Assert.That(egress.Select(f => f.OriginalLength), Is.All.EqualTo(sent[0].Length));
        int index = net.IndexOf(net.InnerB);
        Assert.That(frames.Select(f => f.Metadata.InterfaceIndex), Is.All.EqualTo(index));
        Assert.That(frames.Select(f => f.Metadata.Protocol), Is.All.EqualTo((ushort)0x0800));
        var statistics = capture.GetStatistics();
        Assert.That(statistics.Delivered, Is.EqualTo(6));
        Assert.That(statistics.DroppedByKernel, Is.Zero);
    }

    [Test]
    public void IngressOnlySeesNothingSentAndTheTagTheKernelRemovedIsPutBack()
    {
        using var net = new TestNetwork(addresses: false);
        using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, Direction = PacketDirection.Inbound });
        var tagged = Tagged(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 30), tci: 0x2064);
        net.Run(() =>
        {
            using var outOfB = new FrameInjector(net.InnerB);
            outOfB.Send(TestFrames.Udp(TestFrames.MacA, TestFrames.MacB, 0, 30));
            using var intoB = new FrameInjector(net.InnerA);
            intoB.Send(tagged);
        });
        var frames = Drain(capture, 1, settleMs: 1000);
        FrameAssert.Same([tagged], frames.Select(f => f.Data).ToList(), "only the received frame, with its 802.1Q tag");
        Assert.That(frames[0].Metadata.HasVlan, Is.True);
        Assert.That(frames[0].Metadata.VlanTci, Is.EqualTo((ushort)0x2064));
        Assert.That(frames[0].Metadata.VlanTpid, Is.EqualTo((ushort)0x8100));
        Assert.That(frames[0].OriginalLength, Is.EqualTo(tagged.Length));
    }

    [Test]
    public void EachFrameCarriesTheMarkOfItsSkbInBothDirections()
    {
        // A packet socket copies its SO_MARK into each skb it sends; the veth keeps it within one namespace, so B's
        // egress sees the mark of B's sender and B's ingress the mark of A's. An unmarked sender's frames carry 0.
        using var net = new TestNetwork(addresses: false);
        using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, FilterExpression = "udp port 9999" });
        net.Run(() =>
        {
            using var intoB = new FrameInjector(net.InnerA, mark: 0x5678);
            using var outOfB = new FrameInjector(net.InnerB, mark: 0xfeed_0001);
            using var unmarked = new FrameInjector(net.InnerA);
            intoB.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 40));
            outOfB.Send(TestFrames.Udp(TestFrames.MacA, TestFrames.MacB, 2, 40));
            unmarked.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 3, 40));
        });
        var frames = Drain(capture, 3);
        Assert.That(frames.Select(f => ((int)f.Data[45], f.Metadata.PacketType == LinuxPacketType.Outgoing, f.Metadata.Mark)).Order(),
            Is.EqualTo(new[] { (1, false, 0x5678u), (2, true, 0xfeed_0001u), (3, false, 0u) }), "(sequence, sent, mark) of each frame");
    }

    [Test]
    public void AMarkTestInTheProgramSeesTheSkbsMark()
    {
        using var net = new TestNetwork(addresses: false);
        // ld #mark; jeq #0x5678; ret #65535; ret #0
        var markIs = BpfProgram.Create(
        [
            BpfInstruction.Statement(BpfOpcode.LdAbsW, BpfAncillary.Base + BpfAncillary.Mark),
            BpfInstruction.Jump(BpfOpcode.ClassJmp | BpfOpcode.OpJeq, 0x5678, 0, 1),
            BpfInstruction.Statement(BpfOpcode.RetK, 65535),
            BpfInstruction.Statement(BpfOpcode.RetK, 0),
        ], BpfDialect.Kernel);
        using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, Direction = PacketDirection.Inbound, Program = markIs });
        var marked = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 40);
        net.Run(() =>
        {
            using var withMark = new FrameInjector(net.InnerA, mark: 0x5678);
            using var otherMark = new FrameInjector(net.InnerA, mark: 0x5679);
            otherMark.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 2, 40));
            withMark.Send(marked);
        });
        var frames = Drain(capture, 1, settleMs: 500);
        FrameAssert.Same([marked], frames.Select(f => f.Data).ToList(), "only the frame marked 0x5678");
        Assert.That(frames[0].Metadata.Mark, Is.EqualTo(0x5678u));
    }

    [Test]
    public void TheFilterRunsInTheProgramSoRejectedPacketsNeverReachTheRing()
    {
        using var net = new TestNetwork(addresses: false);
        using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, FilterExpression = "udp port 9999" });
        net.Run(() =>
        {
            using var intoB = new FrameInjector(net.InnerA);
            using var outOfB = new FrameInjector(net.InnerB);
            for (int i = 0; i < 3; i++)
            {
                intoB.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 40, destinationPort: 7777));
                intoB.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 40));
                outOfB.Send(TestFrames.Udp(TestFrames.MacA, TestFrames.MacB, i, 40, destinationPort: 7777));
            }
        });
        var frames = Drain(capture, 3);
        var statistics = capture.GetStatistics();
        Assert.That(frames, Has.Count.EqualTo(3));
        // A packet socket's counts: "received" is what passed the filter; nothing was filtered in this process.
        Assert.That(statistics.Received, Is.EqualTo(3), "the 6 port-7777 frames were never copied into the ring");
        Assert.That(statistics.DroppedByFilter, Is.Zero);
    }

    [Test]
    public void AFilterTheKernelCannotRunIsRunInThisProcessOverWhatTheProgramCopies()
    {
        // protochain compiles to a backward jump: no kernel checker (so no translation) takes it. The capture copies
        // every packet and runs the filter here, counting what it rejects as filter drops.
        using var net = new TestNetwork(addresses: false);
        using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, Direction = PacketDirection.Inbound, FilterExpression = "ip protochain 17" });
        var udp = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 40);
        net.Run(() =>
        {
            using var intoB = new FrameInjector(net.InnerA);
            intoB.Send(TestFrames.Tcp(TestFrames.MacB, TestFrames.MacA, 1, 40));
            intoB.Send(udp);
            intoB.Send(TestFrames.Tcp(TestFrames.MacB, TestFrames.MacA, 2, 40));
        });
        var frames = Drain(capture, -1, settleMs: 1000);
        FrameAssert.Same([udp], frames.Select(f => f.Data).ToList(), "the UDP frame only");
        var statistics = capture.GetStatistics();
        Assert.That(statistics.DroppedByFilter, Is.EqualTo(2), "the two TCP frames, rejected here");
    }

    [Test]
    public void APacketTypeTestInTheProgramSeesWhatAPacketSocketSees()
    {
        using var net = new TestNetwork(addresses: false);
        using var outbound = Open(net, new TcCaptureOptions { Interface = net.InnerB, Program = PacketTypeIs(LinuxPacketType.Outgoing) });
        using var otherHost = Open(net, new TcCaptureOptions { Interface = net.InnerB, Program = PacketTypeIs(LinuxPacketType.OtherHost) });
        var received = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 40);
        var sent = TestFrames.Udp(TestFrames.MacA, TestFrames.MacB, 2, 40);
        net.Run(() =>
        {
            using var intoB = new FrameInjector(net.InnerA);
            using var outOfB = new FrameInjector(net.InnerB);
            intoB.Send(received);
            outOfB.Send(sent);
        });
        // skb->pkt_type says PACKET_HOST at egress; the translation reads PACKET_OUTGOING there, as a packet socket sees it.
        FrameAssert.Same([sent], Drain(outbound, 1, settleMs: 500).Select(f => f.Data).ToList(), "pkttype == outgoing: the sent frame only");
        FrameAssert.Same([received], Drain(otherHost, 1, settleMs: 500).Select(f => f.Data).ToList(), "pkttype == otherhost: the received frame only");
    }

    /// <summary><c>ld #pkttype; jeq #type; ret #65535; ret #0</c>.</summary>
    private static BpfProgram PacketTypeIs(LinuxPacketType type) => BpfProgram.Create(
    [
        BpfInstruction.Statement(BpfOpcode.LdAbsW, BpfAncillary.Base + BpfAncillary.PacketType),
        BpfInstruction.Jump(BpfOpcode.ClassJmp | BpfOpcode.OpJeq, (uint)type, 0, 1),
        BpfInstruction.Statement(BpfOpcode.RetK, 65535),
        BpfInstruction.Statement(BpfOpcode.RetK, 0),
    ], BpfDialect.Kernel);

    [Test]
    public void AFullRingCountsTheLossAsKernelDrops()
    {
        using var net = new TestNetwork(addresses: false);
        using var metrics = new Wirecap.Tests.Metrics.MetricsCollector();
        // The smallest ring: a page holds a few dozen 128-byte records.
        using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, Direction = PacketDirection.Inbound, SnapLength = 64, RingSize = 1 });
        const int sent = 500;
        net.Run(() =>
        {
            using var intoB = new FrameInjector(net.InnerA);
            for (int i = 0; i < sent; i++) intoB.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 20));
        });
        var frames = Drain(capture, -1, settleMs: 500);
        var statistics = capture.GetStatistics();
        Assert.That(statistics.DroppedByKernel, Is.GreaterThan(0), "the ring overflowed");
        Assert.That(statistics.Delivered, Is.EqualTo(frames.Count));
        Assert.That(statistics.Received, Is.EqualTo(sent), "every packet is either delivered or counted as dropped");
        Assert.That(statistics.Delivered + statistics.DroppedByKernel, Is.EqualTo(sent));
        Assert.That(metrics.Collect("wirecap.capture.packets.dropped", (WirecapMetrics.InterfaceTag, net.InnerB), (WirecapMetrics.DropReasonTag, "kernel")),
            Is.EqualTo(statistics.DroppedByKernel), "the metric reports the loss");
    }

    [Test]
    public void DisposeDetachesEverythingAndRemovesAQdiscItAdded()
    {
        using var net = new TestNetwork(addresses: false);
        var tcx = Open(net, new TcCaptureOptions { Interface = net.InnerB });
        Assert.That(TcxPrograms(net, net.InnerB), Has.Length.EqualTo(2), "one program at ingress, one at egress");
        tcx.Dispose();
        Assert.That(TcxPrograms(net, net.InnerB), Is.Empty);

        var clsact = Open(net, new TcCaptureOptions { Interface = net.InnerB, Attach = TcAttachMode.Clsact });
        Assert.That(ClsactFilters(net, net.InnerB), Does.Contain($"wirecap:{Environment.ProcessId}:").And.Contain("direct-action"));
        Assert.That(Qdiscs(net, net.InnerB), Does.Contain("clsact"));
        clsact.Dispose();
        Assert.That(ClsactFilters(net, net.InnerB), Does.Not.Contain("wirecap"));
        Assert.That(Qdiscs(net, net.InnerB), Does.Not.Contain("clsact"));
    }

    [Test]
    public void AClsactQdiscSomeoneElseAddedStaysWithTheirFilters()
    {
        using var net = new TestNetwork(addresses: false);
        net.Exec($"tc qdisc add dev {net.InnerB} clsact");
        var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, Attach = TcAttachMode.Clsact });
        capture.Dispose();
        Assert.That(ClsactFilters(net, net.InnerB), Does.Not.Contain("wirecap"));
        Assert.That(Qdiscs(net, net.InnerB), Does.Contain("clsact"), "not ours to remove");
    }

    [Test]
    public void TheRefusalsNameTheProblem()
    {
        using var net = new TestNetwork(addresses: false);
        var missing = Assert.Throws<InterfaceNotFoundException>(() => Open(net, new TcCaptureOptions { Interface = "nosuchdev0" }));
        Assert.That(missing!.Message, Does.Contain("no interface 'nosuchdev0'"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(net, new TcCaptureOptions { Interface = net.InnerB, SnapLength = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(net, new TcCaptureOptions { Interface = net.InnerB, Direction = PacketDirection.Unknown }));
        Assert.Catch<Wirecap.Filter.FilterException>(() => Open(net, new TcCaptureOptions { Interface = net.InnerB, FilterExpression = "udp port" }));
        Assert.That(TcxPrograms(net, net.InnerB), Is.Empty, "a refused open leaves nothing attached");
    }

    [Test]
    public void ReadAllAsyncAndTheWriterInterfaceDescribeTheCapture()
    {
        using var net = new TestNetwork(addresses: false);
        using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, SnapLength = 1000 });
        Assert.That(capture.WriterInterface.Name, Is.EqualTo(net.InnerB));
        Assert.That(capture.WriterInterface.LinkType, Is.EqualTo(LinkType.Ethernet));
        Assert.That(capture.WriterInterface.SnapLength, Is.EqualTo(1000));
        var frame = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 5, 64);
        net.Run(() =>
        {
            using var intoB = new FrameInjector(net.InnerA);
            intoB.Send(frame);
        });
        using var timeout = new CancellationTokenSource(5000);
        Packet? first = null;
        var read = Task.Run(async () =>
        {
            await foreach (var packet in capture.ReadAllAsync(cancellationToken: timeout.Token))
            {
                first = packet;
                break;
            }
        });
        Assert.That(read.Wait(10_000), Is.True);
        Assert.That(first, Is.Not.Null);
        Assert.That(first!.Data.ToArray(), Is.EqualTo(frame));
        Assert.That(Math.Abs(first.Timestamp.ToUnixTimeMilliseconds() - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), Is.LessThan(60_000),
            "kernel time became wall time");
    }
}
