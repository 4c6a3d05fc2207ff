using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using FsCheck.Fluent;
using NUnit.Framework;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Ncap.NcapTestData;

namespace Wirecap.Tests.Ncap;

/// <summary>The span paths hand out views over the reader's buffer: nothing is allocated per message.</summary>
public class NcapAllocationTests
{
    private const int Rounds = 6;

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
        long checksum = 0;
        int count = 0;
        long allocated = Allocations.Quietest(Rounds, Open, reader =>
        {
            while (reader.Read())
            {
                var record = reader.Current;
                checksum += record.Payload.Length + record.SourcePort + record.Source[0];
                count++;
            }
        });
        Assert.That(count, Is.EqualTo(Rounds * 1999));
        Assert.That(allocated, Is.Zero, $"checksum {checksum}");

        static NcapReader Open()
        {
            var reader = new NcapReader(new MemoryStream(Stream));
            reader.Read(); // the first message also reads the stream header
            return reader;
        }
    }

    [Test]
    public void CaptureReaderOverNcapAllocatesNothingPerPacketOnceWarm()
    {
        using (var reader = CaptureFiles.OpenReader(new MemoryStream(Stream)))
            Assert.That(reader.Format, Is.EqualTo(CaptureFormat.Ncap));
        long bytes = 0;
        int count = 0;
        long allocated = Allocations.Quietest(Rounds, Open, reader =>
        {
            while (reader.Read())
            {
                bytes += reader.Current.Data.Length;
                count++;
            }
        });
        Assert.That(count, Is.EqualTo(Rounds * 1999));
        Assert.That(allocated / 1999, Is.Zero, $"bytes per packet ({bytes} bytes read)");

        static CaptureReader Open()
        {
            var reader = CaptureFiles.OpenReader(new MemoryStream(Stream));
            reader.Read(); // the first packet also reads the stream header
            return reader;
        }
    }
}
