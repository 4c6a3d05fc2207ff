using Wirecap.Formats;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Metrics;

public class SinkMetricsTests : TempDirectoryFixture
{
    [Test]
    public void BytesWrittenAndFilesRotatedFollowTheFilesOnDisk()
    {
        using var metrics = new MetricsCollector();
        var path = Path.Combine(TempDir, "metrics.pcap");
        var closed = new List<string>();
        var sink = new CaptureFileSink(path, new CaptureFileSinkOptions
        {
            Format = CaptureFormat.Pcap,
            Rotation = new RotationOptions { MaxFileBytes = 2_000 },
            FileClosed = closed.Add,
        });
        var tag = (WirecapMetrics.SinkTag, path);
        Assert.That(metrics.Collect("wirecap.sink.bytes.written", tag), Is.EqualTo(24), "a new pcap file holds its header");
        for (var i = 0; i < 100; i++) sink.Write(new byte[100], 1_700_000_000_000_000_000L + i);
        sink.Flush();

        var files = Directory.GetFiles(TempDir);
        Assert.That(metrics.Collect("wirecap.sink.bytes.written", tag), Is.EqualTo(files.Sum(f => new FileInfo(f).Length)));
        Assert.That(metrics.Collect("wirecap.sink.files.rotated", tag), Is.EqualTo(files.Length - 1).And.EqualTo(sink.FilesRotated));
        Assert.That(sink.FilesRotated, Is.GreaterThan(3));
        Assert.That(metrics.UnitOf("wirecap.sink.bytes.written"), Is.EqualTo("By"));

        sink.Dispose();
        Assert.That(metrics.Collect("wirecap.sink.bytes.written", tag), Is.Null, "a disposed sink is no longer reported");
    }
}
