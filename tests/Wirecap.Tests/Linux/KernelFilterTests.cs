using Wirecap.Bpf;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;
using static Wirecap.Bpf.BpfOpcode;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class KernelFilterTests(RingKind ring) : EachRingFixture(ring)
{
    /// <summary>"udp dst port 9999" for Ethernet/IPv4 without options, written by hand.</summary>
    internal static BpfProgram UdpPort9999 => BpfProgram.Create(
    [
        BpfInstruction.Statement(LdAbsH, 12),
        BpfInstruction.Jump(ClassJmp | OpJeq | SrcK, 0x0800, 0, 5),
        BpfInstruction.Statement(LdAbsB, 23),
        BpfInstruction.Jump(ClassJmp | OpJeq | SrcK, 17, 0, 3),
        BpfInstruction.Statement(LdAbsH, 36),
        BpfInstruction.Jump(ClassJmp | OpJeq | SrcK, 9999, 0, 1),
        BpfInstruction.Statement(RetK, 262144),
        BpfInstruction.Statement(RetK, 0),
    ]);

    [Test]
    public void TheKernelDropsWhatTheFilterRejectsAndStatisticsCountOnlyWhatPassed()
    {
        using var net = new TestNetwork(addresses: false);
        var wanted = Enumerable.Range(0, 30).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 60, 9999)).ToList();
        var unwanted = Enumerable.Range(0, 30).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 60, 7777)).ToList();
        var (captured, stats) = net.Run(() =>
        {
            var options = Options(net.InnerB);
            options.Filter = UdpPort9999;
            using var capture = PacketCapture.Open(options);
            using (var injector = new FrameInjector(net.InnerA))
                for (var i = 0; i < wanted.Count; i++)
                {
                    injector.Send(unwanted[i]);
                    injector.Send(wanted[i]);
                }
            var frames = LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200)).Select(f => f.Data).ToList();
            return (frames, capture.GetStatistics());
        });
        FrameAssert.Same(wanted, captured, "only port 9999");
        Assert.That(stats.Received, Is.EqualTo(wanted.Count), "the kernel filter dropped the rest before counting them");
        Assert.That(stats.DroppedByFilter, Is.Zero, "nothing was left for user space to drop");
        Assert.That(stats.DroppedByKernel, Is.Zero);
    }

    [Test]
    public void NoUnfilteredPacketSlipsThroughWhileTheFilterIsAttached()
    {
        using var net = new TestNetwork(addresses: false);
        using var stop = new CancellationTokenSource();
        long sent = 0;
        var sender = Task.Run(() => net.Run(() =>
        {
            using var injector = new FrameInjector(net.InnerA);
            var good = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 60, 9999);
            var bad = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 2, 60, 7777);
            while (!stop.IsCancellationRequested)
            {
                injector.Send(bad);
                injector.Send(good);
                Interlocked.Add(ref sent, 2);
            }
        }));
        try
        {
            var (total, leaked) = net.Run(() =>
            {
                long frames = 0, wrong = 0;
                for (var round = 0; round < 20; round++)
                {
                    var options = Options(net.InnerB);
                    options.Filter = UdpPort9999;
                    using var capture = PacketCapture.Open(options);
                    using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
                    capture.Capture((in CapturedFrame f) =>
                    {
                        frames++;
                        if (f.Data.Length < 38 || f.Data[36] != 9999 >> 8 || f.Data[37] != (9999 & 0xff)) wrong++;
                    }, -1, cancel.Token);
                }
                return (frames, wrong);
            });
            Assert.That(Interlocked.Read(ref sent), Is.GreaterThan(1000), "a steady stream was running");
            Assert.That(total, Is.GreaterThan(100), "the captures saw the stream");
            Assert.That(leaked, Is.Zero, "no frame the filter rejects was ever delivered");
        }
        finally
        {
            stop.Cancel();
            sender.Wait();
        }
    }

    [Test]
    public void ChangingTheFilterOfARunningCaptureLetsNoRejectedFrameThroughAfterwards()
    {
        using var net = new TestNetwork(addresses: false);
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(() => net.Run(() =>
        {
            using var injector = new FrameInjector(net.InnerA);
            var good = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 60, 9999);
            var bad = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 2, 60, 7777);
            while (!stop.IsCancellationRequested)
            {
                // Bursts with a pause, so that even a reader woken for every packet (immediate mode) on a loaded
                // machine keeps up and the ring never overflows.
                for (var i = 0; i < 10; i++)
                {
                    injector.Send(bad);
                    injector.Send(good);
                }
                Thread.Sleep(1);
            }
        }));
        try
        {
            var (before, after, leaked, stats) = net.Run(() =>
            {
                var options = Options(net.InnerB);
                options.BlockTimeout = TimeSpan.FromMilliseconds(50);
                using var capture = PacketCapture.Open(options);
                var filtered = 0;
                long early = 0, late = 0, wrong = 0;
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var changer = Task.Run(() =>
                {
                    Thread.Sleep(200);
                    capture.SetFilter(UdpPort9999);
                    Volatile.Write(ref filtered, 1);
                });
                capture.Capture((in CapturedFrame f) =>
                {
                    if (Volatile.Read(ref filtered) == 0) { early++; return; }
                    late++;
                    if (f.Data[36] != 9999 >> 8 || f.Data[37] != (9999 & 0xff)) wrong++;
                    if (late == 2000) cancel.Cancel();
                }, -1, cancel.Token);
                changer.Wait();
                return (early, late, wrong, capture.GetStatistics());
            });
            Assert.That(before, Is.GreaterThan(10), "frames of both kinds arrived before the change");
            Assert.That(after, Is.EqualTo(2000), "matching frames kept arriving after the change");
            Assert.That(leaked, Is.Zero, "after SetFilter returned, no rejected frame was delivered");
            Assert.That(stats.DroppedByKernel, Is.Zero);
        }
        finally
        {
            stop.Cancel();
            sender.Wait();
        }
    }

    [Test]
    public void CookedProgramsReadTheHeaderThroughAncillaryLoadsAndPayloadMovesDown()
    {
        BpfInstruction[] program =
        [
            BpfInstruction.Statement(LdAbsH, 0),      // SLL2 protocol
            BpfInstruction.Statement(LdAbsW, 4),      // SLL2 interface index
            BpfInstruction.Statement(LdAbsB, 10),     // SLL2 packet type
            BpfInstruction.Statement(LdAbsB, 29),     // IPv4 protocol (20 + 9)
            BpfInstruction.Statement(LdxMsh, 20),     // IPv4 header length
            BpfInstruction.Statement(LdIndH, 22),     // destination port
            BpfInstruction.Statement(LdAbsW, BpfAncillary.Base + BpfAncillary.VlanTag),
            BpfInstruction.Statement(RetK, 65535),
        ];
        Assert.That(CookedProgramAdapter.TryAdapt(program, out var adapted), Is.True);
        Assert.That(adapted.Select(i => i.K), Is.EqualTo(new uint[]
        {
            BpfAncillary.Base + BpfAncillary.Protocol, BpfAncillary.Base + BpfAncillary.InterfaceIndex, BpfAncillary.Base + BpfAncillary.PacketType,
            9, 0, 2, BpfAncillary.Base + BpfAncillary.VlanTag, 65535,
        }));

        Assert.That(CookedProgramAdapter.TryAdapt([BpfInstruction.Statement(LdAbsB, 12), BpfInstruction.Statement(RetK, 1)], out _), Is.False,
            "the link-layer address has no ancillary equivalent");
        Assert.That(CookedProgramAdapter.TryAdapt([BpfInstruction.Statement(LdLen), BpfInstruction.Statement(RetAcc)], out _), Is.False,
            "the packet length differs by the header length in the kernel");
    }

    [Test]
    public void AProgramTheKernelCannotRunIsRunInUserSpaceWithTheSameResult()
    {
        using var net = new TestNetwork(addresses: false);
        // On the cooked "any" device the kernel cannot see the SLL2 link-layer address: filter on source MAC byte 5.
        var program = BpfProgram.Create(
        [
            BpfInstruction.Statement(LdAbsB, 12 + 5),
            BpfInstruction.Jump(ClassJmp | OpJeq | SrcK, 0x0a, 0, 1),
            BpfInstruction.Statement(RetK, 262144),
            BpfInstruction.Statement(RetK, 0),
        ]);
        var fromA = Enumerable.Range(0, 10).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 40)).ToList();
        var fromB = Enumerable.Range(0, 10).Select(i => TestFrames.Udp(TestFrames.MacA, TestFrames.MacB, i, 40)).ToList();
        var (captured, stats) = net.Run(() =>
        {
            var options = Options(PacketCaptureOptions.AnyInterface);
            options.Filter = program;
            options.Direction = PacketDirection.Inbound;
            using var capture = PacketCapture.Open(options);
            using (var a = new FrameInjector(net.InnerA))
            using (var b = new FrameInjector(net.InnerB))
                for (var i = 0; i < fromA.Count; i++)
                {
                    a.Send(fromA[i]);
                    b.Send(fromB[i]);
                }
            var frames = LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200)).Select(f => f.Data[20..]).ToList();
            return (frames, capture.GetStatistics());
        });
        FrameAssert.Same(fromA.Select(f => f[14..]).ToList(), captured, "only frames whose source MAC ends in 0x0a");
        Assert.That(stats.DroppedByFilter, Is.EqualTo(fromB.Count), "user space dropped the others (they arrived on the other end of the pair)");
    }
}
