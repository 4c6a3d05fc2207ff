using System.Buffers;
using Wirecap.Decoding;
using Wirecap.Ncap;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.Engine.EngineTestData;

namespace Wirecap.Tests.Metrics;

public class EngineMetricsTests
{
    [Test]
    public void AnEngineReportsDeliveredAndDroppedByReasonAndEachSourcesMessages()
    {
        using var metrics = new MetricsCollector();
        using var engine = new NcapEngine(new NcapEngineOptions { Name = "metrics-test" });
        engine.SetFilter(null, "udp port 53");
        engine.AddCaptureFile(Pcap([Udp(1), Arp(), Udp(2, port: 53), Udp(3, port: 53), Arp(), Arp()]), "file");
        var delivered = engine.Collect((in Wirecap.Formats.Ncap.NcapRecord _, NcapSource _) => { });
        Assert.That(delivered, Is.EqualTo(2));

        var tag = (WirecapMetrics.EngineTag, "metrics-test");
        Assert.That(metrics.Collect("wirecap.engine.messages.delivered", tag), Is.EqualTo(2));
        Assert.That(metrics.Collect("wirecap.engine.messages.dropped", tag, (WirecapMetrics.DropReasonTag, "not_ip")), Is.EqualTo(3));
        Assert.That(metrics.Collect("wirecap.engine.messages.dropped", tag, (WirecapMetrics.DropReasonTag, "filtered")), Is.EqualTo(1));
        Assert.That(metrics.UnitOf("wirecap.engine.messages.delivered"), Is.EqualTo("{message}"));

        engine.Dispose();
        Assert.That(metrics.Collect("wirecap.engine.messages.delivered", tag), Is.Null, "a disposed engine is no longer reported");
    }

    [Test]
    public void EachRunningSourceIsReportedWithItsMessages()
    {
        using var metrics = new MetricsCollector();
        using var engine = new NcapEngine(new NcapEngineOptions { Name = "metrics-sources" });
        var pipe = new System.IO.Pipelines.Pipe();
        // A stream that stays open: the source is still running when the metrics are collected.
        pipe.Writer.Write(Pcap([Udp(1), Udp(2), Arp()]).ToArray());
        pipe.Writer.FlushAsync().AsTask().Wait();
        engine.AddCaptureFile(pipe.Reader.AsStream(), "open stream");
        var seen = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        engine.Collect((in Wirecap.Formats.Ncap.NcapRecord _, NcapSource _) => { if (++seen == 2) engine.Stop(); }, cancellationToken: deadline.Token);

        var tags = new[] { (WirecapMetrics.EngineTag, "metrics-sources"), (WirecapMetrics.SourceTag, "pf open stream") };
        Assert.That(metrics.Collect("wirecap.engine.source.messages", tags), Is.EqualTo(2));
        pipe.Writer.Complete();
    }

    [TestCase(NcapDropReason.FragmentDropped, "fragment_dropped")]
    [TestCase(NcapDropReason.NotIp, "not_ip")]
    [TestCase(NcapDropReason.Filtered, "filtered")]
    public void DropReasonsAreTaggedInSnakeCase(NcapDropReason reason, string tag) =>
        Assert.That(EngineMetrics.TagValue(reason), Is.EqualTo(tag));
}
