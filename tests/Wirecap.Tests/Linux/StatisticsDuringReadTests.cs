using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

/// <summary>
/// <see cref="PacketCapture.GetStatistics"/> is safe from any thread during a read, so its Delivered count must
/// keep up while the reader works through a backlog of ready ring units, not only once the ring runs dry.
/// </summary>
[NonParallelizable]
public class StatisticsDuringReadTests(RingKind ring) : EachRingFixture(ring)
{
    [Test]
    public void DeliveredCountsTheUnitsAlreadyReadWhileABacklogIsBeingRead()
    {
        using var net = new TestNetwork(addresses: false);
        const int sent = 200;
        var (seen, deliveredMeanwhile) = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(net.InnerB));
            using (var injector = new FrameInjector(net.InnerA))
                for (var i = 0; i < sent; i++) injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 1000));
            // Let every frame land (and every block time out) so the read starts on a full backlog.
            Thread.Sleep(300);
            int frames = 0;
            long meanwhile = -1;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            capture.Capture((in CapturedFrame _) =>
            {
                if (++frames == sent) meanwhile = capture.GetStatistics().Delivered;
            }, sent, deadline.Token);
            return (frames, meanwhile);
        });

        Assert.That(seen, Is.EqualTo(sent));
        // Slots are one frame each; a 64 KiB block holds under 60 of these frames.
        Assert.That(deliveredMeanwhile, Is.GreaterThanOrEqualTo(sent / 2),
            "frames of the units already given back are counted as delivered while the read goes on");
    }

    [Test]
    public void FramesTheHandlerReturnedFromAreCountedWhenItThrowsLater()
    {
        using var net = new TestNetwork(addresses: false);
        const int sent = 20, throwAt = 10;
        var (delivered, thrown) = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(net.InnerB));
            using (var injector = new FrameInjector(net.InnerA))
                for (var i = 0; i < sent; i++) injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 100));
            Thread.Sleep(300);
            int frames = 0;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var error = Assert.Throws<InvalidOperationException>(() => capture.Capture((in CapturedFrame _) =>
            {
                if (++frames == throwAt) throw new InvalidOperationException("handler failed");
            }, sent, deadline.Token));
            return (capture.GetStatistics().Delivered, error!.Message);
        });

        Assert.That(thrown, Is.EqualTo("handler failed"));
        Assert.That(delivered, Is.EqualTo(throwAt - 1), "the frames before the one the handler threw on");
    }
}
