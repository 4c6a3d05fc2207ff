using System.Buffers.Binary;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class FanoutTests(RingKind ring) : EachRingFixture(ring)
{
    [TestCase(FanoutMode.LoadBalance)]
    [TestCase(FanoutMode.Hash)]
    public void TwoSocketsInAGroupSeeEveryPacketExactlyOnce(FanoutMode mode)
    {
        using var net = new TestNetwork(addresses: false);
        const int count = 400;
        var (first, second) = net.Run(() =>
        {
            PacketCaptureOptions GroupOptions()
            {
                var options = Options(net.InnerB);
                options.Fanout = new FanoutOptions(GroupId: 4242, Mode: mode);
                return options;
            }
            using var a = PacketCapture.Open(GroupOptions());
            using var b = PacketCapture.Open(GroupOptions());
            using (var injector = new FrameInjector(net.InnerA))
                for (var i = 0; i < count; i++)
                {
                    // Vary the source port so flows hash differently.
                    var frame = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 40);
                    BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34), (ushort)(1000 + i));
                    injector.Send(frame);
                }
            int Sequence(byte[] f) => BinaryPrimitives.ReadInt32BigEndian(f.AsSpan(42));
            var seenA = LiveCapture.CollectQuiet(a, TimeSpan.FromMilliseconds(200)).Select(f => Sequence(f.Data)).ToList();
            var seenB = LiveCapture.CollectQuiet(b, TimeSpan.FromMilliseconds(200)).Select(f => Sequence(f.Data)).ToList();
            return (seenA, seenB);
        });
        Assert.That(first, Is.Not.Empty, "the first socket got a share");
        Assert.That(second, Is.Not.Empty, "the second socket got a share");
        Assert.That(first.Intersect(second), Is.Empty, "no packet went to both");
        Assert.That(first.Concat(second).Order(), Is.EqualTo(Enumerable.Range(0, count)), "every packet went to one of them");
    }
}
