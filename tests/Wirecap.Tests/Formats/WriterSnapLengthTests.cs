using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>
/// Whatever snap length a writer is given, the file it writes must be readable by our reader and by
/// tcpdump, which (libpcap 1.10) refuse a packet longer than the snap length a pcapng interface
/// declares (0 meaning the link type's maximum, 262144 for Ethernet) and any pcap record beyond the
/// link type's maximum. Longer packets are cut there, their original length kept.
/// </summary>
public sealed class WriterSnapLengthTests
{
    private const int Long = 300_000;

    [TestCase(CaptureFormat.Pcap, 0, 262144)]
    [TestCase(CaptureFormat.Pcap, 524288, 262144)]
    [TestCase(CaptureFormat.PcapNg, 0, 262144)]
    [TestCase(CaptureFormat.PcapNg, 524288, Long)]
    public void A_long_packet_is_written_so_that_readers_take_it(CaptureFormat format, int snapLength, int kept)
    {
        string file = Path.Combine(Path.GetTempPath(), $"capture-writer-snap-{Guid.NewGuid():N}.{(format == CaptureFormat.Pcap ? "pcap" : "pcapng")}");
        try
        {
            var frame = new byte[Long];
            frame[Long - 1] = 0x5a;
            using (var writer = CaptureWriter.Create(file, format, new CaptureWriterOptions { SnapLength = snapLength }))
            {
                writer.Write(frame, 1_000_000_000);
                writer.Write(new byte[60], 2_000_000_000);
            }

            using (var reader = CaptureReader.Open(file))
            {
                Assert.That(reader.Read(), Is.True);
                Assert.That((reader.Current.Data.Length, reader.Current.OriginalLength), Is.EqualTo((kept, Long)));
                Assert.That(reader.Read(), Is.True);
                Assert.That(reader.Current.Data.Length, Is.EqualTo(60));
                Assert.That(reader.Read(), Is.False);
            }

            Tool.Require("tcpdump");
            var (exitCode, stdOut, stdErr) = Tool.Run("tcpdump", $"-n -r {file}");
            Assert.That(exitCode, Is.Zero, stdErr);
            Assert.That(stdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
