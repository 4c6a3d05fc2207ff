using Capture.Formats;
using Capture.Formats.Ncap;
using FsCheck.Fluent;
using NUnit.Framework;
using static Capture.Tests.Ncap.NcapTestData;

namespace Capture.Tests.Ncap;

/// <summary>The span paths hand out views over the reader's buffer: nothing is allocated per message.</summary>
public class NcapAllocationTests
{
    private static readonly byte[] Stream = WriteStream(Messages().Sample(2000, 30)
        .Select(m => new NcapMessage
        {
            Seconds = m.Seconds, Nanoseconds = m.Nanoseconds, Source = m.Source, Destination = m.Destination,
            Transport = m.Transport == NcapTransport.Tcp ? NcapTransport.Udp : m.Transport,
            SourcePort = m.SourcePort, DestinationPort = m.DestinationPort, IcmpType = m.IcmpType, IcmpCode = m.IcmpCode,
            Payload = m.Payload,
        }));

    [Test]
    public void NcapReaderSpanPathAllocatesNothingPerMessage()
    {
        using var reader = new NcapReader(new MemoryStream(Stream));
        Assert.That(reader.Read(), Is.True);
        long checksum = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        int count = 1;
        while (reader.Read())
        {
            var record = reader.Current;
            checksum += record.Payload.Length + record.SourcePort + record.Source[0];
            count++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(count, Is.EqualTo(2000));
        Assert.That(allocated, Is.Zero, $"checksum {checksum}");
    }

    [Test]
    public void CaptureReaderOverNcapAllocatesNothingPerPacketOnceWarm()
    {
        using var reader = CaptureReader.Open(new MemoryStream(Stream));
        Assert.That(reader.Format, Is.EqualTo(CaptureFormat.Ncap));
        // The packet buffer grows to the largest packet once; read everything once to warm it.
        int count = 0;
        while (reader.Read()) count++;
        Assert.That(count, Is.EqualTo(2000));
        using var again = CaptureReader.Open(new MemoryStream(Stream));
        again.Read();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long bytes = 0;
        while (again.Read()) bytes += again.Current.Data.Length;
        long perPacket = (GC.GetAllocatedBytesForCurrentThread() - before) / 1999;
        Assert.That(perPacket, Is.Zero, $"{bytes} bytes read");
    }
}
