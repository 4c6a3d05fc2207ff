using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class CaptureOptionsTests(RingKind ring) : EachRingFixture(ring)
{
    [Test]
    public void SnapLengthCutsFramesButKeepsTheirOriginalLength()
    {
        using var net = new TestNetwork(addresses: false);
        var sent = Enumerable.Range(0, 10).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 30 + i * 100)).ToList();
        var captured = net.Run(() =>
        {
            var options = Options(net.InnerB);
            options.SnapLength = 64;
            using var capture = PacketCapture.Open(options);
            using (var injector = new FrameInjector(net.InnerA))
                foreach (var frame in sent) injector.Send(frame);
            return LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200));
        });
        Assert.That(captured, Has.Count.EqualTo(sent.Count));
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.That(captured[i].Data, Is.EqualTo(sent[i].AsSpan(0, Math.Min(64, sent[i].Length)).ToArray()), $"frame {i} cut to 64 bytes");
            Assert.That(captured[i].OriginalLength, Is.EqualTo(sent[i].Length), $"frame {i} original length");
        }
    }

    [Test]
    public void DirectionSelectsReceivedSentOrBoth()
    {
        using var net = new TestNetwork(addresses: false);
        var incoming = Enumerable.Range(0, 5).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 40)).ToList();
        var outgoing = Enumerable.Range(100, 5).Select(i => TestFrames.Udp(TestFrames.MacA, TestFrames.MacB, i, 40)).ToList();
        List<byte[]> Capture(PacketDirection direction) => net.Run(() =>
        {
            var options = Options(net.InnerB);
            options.Direction = direction;
            using var capture = PacketCapture.Open(options);
            using (var fromA = new FrameInjector(net.InnerA))
            using (var fromB = new FrameInjector(net.InnerB))
            {
                for (var i = 0; i < incoming.Count; i++)
                {
                    fromA.Send(incoming[i]);
                    fromB.Send(outgoing[i]);
                }
            }
            return LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200)).Select(f => f.Data).ToList();
        });

        FrameAssert.Same(incoming, Capture(PacketDirection.Inbound), "direction in");
        FrameAssert.Same(outgoing, Capture(PacketDirection.Outbound), "direction out");
        var both = Capture(PacketDirection.Both);
        Assert.That(both, Has.Count.EqualTo(10));
        Assert.That(both.Select(Convert.ToHexString), Is.EquivalentTo(incoming.Concat(outgoing).Select(Convert.ToHexString)), "direction in/out");
    }

    [Test]
    public void PromiscuousModeIsHeldWhileOpenAndFramesForOtherHostsAreMarked()
    {
        using var net = new TestNetwork(addresses: false);
        int Promiscuity() => net.PromiscuityOf(net.InnerB);
        var toOther = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 40);
        var (during, types) = net.Run(() =>
        {
            var options = Options(net.InnerB);
            options.Promiscuous = true;
            using var capture = PacketCapture.Open(options);
            var level = Promiscuity();
            using (var injector = new FrameInjector(net.InnerA))
            {
                injector.Send(toOther);
                injector.Send(TestFrames.Udp(TestFrames.Broadcast, TestFrames.MacA, 2, 40));
            }
            return (level, LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200)).Select(f => f.Type).ToList());
        });
        Assert.That(during, Is.EqualTo(1), "the interface is promiscuous while the capture is open");
        Assert.That(Promiscuity(), Is.EqualTo(0), "closing the capture leaves promiscuous mode");
        Assert.That(types, Is.EqualTo(new[] { LinuxPacketType.OtherHost, LinuxPacketType.Broadcast }));

        var without = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(net.InnerB));
            return Promiscuity();
        });
        Assert.That(without, Is.EqualTo(0), "not promiscuous unless asked");
    }
}
