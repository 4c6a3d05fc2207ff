using Wirecap.Formats;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

public class FormatsSmokeTests
{
    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void Written_packets_read_back(CaptureFormat format)
    {
        var stream = new MemoryStream();
        using (var writer = CaptureWriter.Create(stream, format, new CaptureWriterOptions { LeaveOpen = true, Precision = TimestampPrecision.Nanosecond }))
        {
            writer.Write([1, 2, 3], 1_700_000_000_123_456_789L);
            writer.Write(new byte[100], 1_700_000_001_000_000_000L, originalLength: 1500);
        }
        stream.Position = 0;
        using var reader = CaptureReader.Open(stream);
        Assert.That(reader.Format, Is.EqualTo(format));
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.Current.Data.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(reader.Current.TimestampNanoseconds, Is.EqualTo(1_700_000_000_123_456_789L));
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.Current.OriginalLength, Is.EqualTo(1500));
        Assert.That(reader.Current.Data.Length, Is.EqualTo(100));
        Assert.That(reader.Read(), Is.False);
    }
}
