using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.Engine.EngineTestData;

namespace Wirecap.Tests.Ncap.Engine;

/// <summary>The queue between sources and the collector holds <see cref="NcapEngineOptions.QueueBytes"/>, not the whole input.</summary>
public sealed class NcapEngineQueueTests
{
    [Test]
    public void A_source_pauses_once_the_queue_holds_its_bytes_and_goes_on_when_collected()
    {
        const int frames = 20_000; // about 2.8 MB of frames: far more than the 64 KiB queue
        using var engine = new NcapEngine(new NcapEngineOptions { QueueBytes = 64 * 1024 });
        engine.AddCaptureFile(Pcap(Enumerable.Range(0, frames).Select(i => Udp(i, payload: 80))), "big");
        var source = engine.Sources.Single();

        // Nobody collects: the source fills the queue (two 32 KiB batches) plus the batch it is filling, then waits.
        long settled = WaitUntilSettled(source);
        long frameBytes = 20 + 42 + 80; // the queue's frame header, Ethernet, IPv4 and UDP headers, the payload
        Assert.That(settled * frameBytes, Is.LessThan(4 * 64 * 1024), $"{settled} frames read ahead");
        Assert.That(settled, Is.GreaterThan(0));

        long delivered = engine.Collect((in NcapRecord _, NcapSource _) => { });
        Assert.That(delivered, Is.EqualTo(frames), "nothing lost while the source waited");
    }

    [Test]
    public void QueueBytes_must_be_positive() =>
        Assert.That(() => new NcapEngine(new NcapEngineOptions { QueueBytes = 0 }),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("QueueBytes"));

    private static long WaitUntilSettled(NcapSource source)
    {
        long last = -1;
        for (int i = 0; i < 100; i++)
        {
            Thread.Sleep(50);
            long now = source.Queued;
            if (now == last && now > 0) return now;
            last = now;
        }
        return source.Queued;
    }
}
