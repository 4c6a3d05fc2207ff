using Wirecap.Formats;
using NUnit.Framework;
using static Wirecap.Tests.Formats.PcapNgBlocks;

namespace Wirecap.Tests.Formats;

/// <summary>Each kind of malformed input raises CaptureFormatException naming format, offset and problem.</summary>
public class MalformedInputTests
{
    private static byte[] PcapFile(int packets, int snapLength = 262144, TimestampPrecision precision = TimestampPrecision.Microsecond)
    {
        var stream = new MemoryStream();
        using (var writer = CaptureWriter.Create(stream, CaptureFormat.Pcap, new CaptureWriterOptions { LeaveOpen = true, SnapLength = snapLength, Precision = precision, ByteOrder = CaptureByteOrder.LittleEndian }))
            foreach (var p in SamplePackets.Make(packets)) writer.Write(p);
        return stream.ToArray();
    }

    /// <summary>Reads everything, returning the records delivered before the exception.</summary>
    private static (int Delivered, CaptureFormatException Error) ReadUntilError(byte[] file)
    {
        int delivered = 0;
        var error = Assert.Throws<CaptureFormatException>(() =>
        {
            using var reader = CaptureReader.Open(new MemoryStream(file));
            while (reader.Read()) delivered++;
        })!;
        Assert.That(error.Message, Does.Contain($"at byte offset {error.Offset}:"));
        return (delivered, error);
    }

    [Test]
    public void Unknown_magic_and_empty_input()
    {
        var (_, bad) = ReadUntilError("GIF89a-not-a-capture"u8.ToArray());
        Assert.That((bad.Format, bad.Offset), Is.EqualTo((CaptureFormat.Unknown, 0L)));
        Assert.That(bad.Problem, Does.Contain("unknown magic number 0x47494638"));
        var (_, empty) = ReadUntilError([]);
        Assert.That(empty.Problem, Does.Contain("ends after 0 bytes"));
    }

    [Test]
    public void Truncated_pcap_header()
    {
        var (_, error) = ReadUntilError(PcapFile(0)[..13]);
        Assert.That((error.Format, error.Offset), Is.EqualTo((CaptureFormat.Pcap, 0L)));
        Assert.That(error.Problem, Does.StartWith("truncated pcap file header: 24 bytes needed, only 13"));
    }

    [Test]
    public void Truncated_last_pcap_record_comes_after_the_complete_ones()
    {
        var file = PcapFile(5);
        using var whole = CaptureReader.Open(new MemoryStream(file));
        var offsets = new List<long>();
        while (whole.Read()) offsets.Add(whole.Position);
        foreach (int cut in new[] { 5, 16, 20 })
        {
            // Cut into the last record: inside its header (5), right after it (16), into its data (20).
            var (delivered, error) = ReadUntilError(file[..(int)(offsets[3] + cut)]);
            Assert.That(delivered, Is.EqualTo(4));
            Assert.That(error.Offset, Is.EqualTo(offsets[3]));
            Assert.That(error.Problem, Does.StartWith(cut < 16 ? "truncated pcap record header" : "truncated pcap record"));
        }
    }

    [Test]
    public void Pcap_captured_length_beyond_the_snap_length_or_256_MiB()
    {
        var file = PcapFile(3, snapLength: 300);
        // Second record's caplen field sits 8 bytes into its header.
        int second = 24 + 16 + BitConverter.ToInt32(file, 24 + 8);
        BitConverter.TryWriteBytes(file.AsSpan(second + 8), 262145);
        var (delivered, error) = ReadUntilError(file);
        Assert.That((delivered, error.Offset), Is.EqualTo((1, (long)second + 8)));
        Assert.That(error.Problem, Is.EqualTo("captured length 262145 is larger than the snap length 300"));

        var unlimited = PcapFile(1, snapLength: 0);
        BitConverter.TryWriteBytes(unlimited.AsSpan(24 + 8), 256 * 1024 * 1024 + 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (_, huge) = ReadUntilError(unlimited);
        Assert.That(huge.Problem, Does.Contain("larger than the 268435456-byte limit"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(4 << 20), "no allocation sized by the length field");
    }

    [Test]
    public void Lying_length_below_the_limit_allocates_only_what_arrives()
    {
        var file = PcapFile(1, snapLength: 0);
        BitConverter.TryWriteBytes(file.AsSpan(20), (int)LinkType.DBus); // D-Bus records may be up to 128 MiB
        BitConverter.TryWriteBytes(file.AsSpan(24 + 8), 100 * 1024 * 1024);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (_, error) = ReadUntilError(file);
        Assert.That(error.Problem, Does.StartWith("truncated pcap record: 104857616 bytes needed"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(4 << 20));
    }

    private static byte[] PcapNg(params byte[][] blocks) => [.. SectionHeader(), .. InterfaceDescription(1, 0), .. blocks.SelectMany(b => b)];

    [Test]
    public void Pcapng_block_length_overrunning_the_file()
    {
        var packet = EnhancedPacket(0, 1, new byte[40]);
        var file = PcapNg(packet, packet);
        BitConverter.TryWriteBytes(file.AsSpan(file.Length - packet.Length + 4), 1000);
        var (delivered, error) = ReadUntilError(file);
        Assert.That(delivered, Is.EqualTo(1));
        Assert.That(error.Offset, Is.EqualTo(file.Length - packet.Length));
        Assert.That(error.Problem, Does.StartWith("truncated enhanced packet block (1000 bytes)"));
    }

    [TestCase(8u, "total length 8 is less than the minimum 32")]
    [TestCase(34u, "total length 34 is not a multiple of 4")]
    [TestCase(0x7ffffff0u, "is larger than the 269484032-byte limit")]
    public void Pcapng_impossible_block_lengths(uint length, string problem)
    {
        var packet = EnhancedPacket(0, 1, new byte[40]);
        var file = PcapNg(packet);
        int at = file.Length - packet.Length + 4;
        BitConverter.TryWriteBytes(file.AsSpan(at), length);
        var (_, error) = ReadUntilError(file);
        Assert.That((error.Format, error.Offset), Is.EqualTo((CaptureFormat.PcapNg, (long)at)));
        Assert.That(error.Problem, Does.Contain(problem));
    }

    [Test]
    public void Pcapng_structural_errors()
    {
        Assert.That(ReadUntilError(PcapNg(EnhancedPacket(3, 1, [1, 2]))).Error.Problem,
            Is.EqualTo("enhanced packet block for interface 3, but the section describes only 1"));
        var trailer = PcapNg(EnhancedPacket(0, 1, [1, 2]));
        trailer[^1] = 9;
        Assert.That(ReadUntilError(trailer).Error.Problem, Does.Contain("differs from its trailing copy"));
        var caplen = EnhancedPacket(0, 1, new byte[8]);
        BitConverter.TryWriteBytes(caplen.AsSpan(20), 100);
        Assert.That(ReadUntilError(PcapNg(caplen)).Error.Problem, Does.Contain("captured length 100 overruns the 40-byte packet block"));
        var option = EnhancedPacket(0, 1, new byte[8], options: [.. U16(1), .. U16(200), 0, 0, 0, 0]);
        Assert.That(ReadUntilError(PcapNg(option)).Error.Problem, Is.EqualTo("option length overruns the end of the block"));
        var bom = SectionHeader();
        bom[8] = 0x99;
        Assert.That(ReadUntilError(bom).Error.Problem, Does.Contain("byte-order magic is 0x1a2b3c99"));
        Assert.That(ReadUntilError([.. SectionHeader(), .. EnhancedPacket(0, 1, [1])]).Error.Problem,
            Is.EqualTo("enhanced packet block for interface 0 before any interface description"));
        byte[] small = [.. SectionHeader(), .. InterfaceDescription(1, 10), .. EnhancedPacket(0, 1, new byte[300_000])];
        Assert.That(ReadUntilError(small).Error.Problem, Is.EqualTo("captured length 300000 is larger than the snap length 10 of interface 0"));
        byte[] tooFine = [.. SectionHeader(), .. InterfaceDescription(1, 0, [.. Option(9, [100]), .. EndOfOptions])];
        Assert.That(ReadUntilError(tooFine).Error.Problem, Does.Contain("timestamp resolution 0x64"));
    }

    [Test]
    public void Pcapng_timestamp_beyond_2262()
    {
        var file = PcapNg(EnhancedPacket(0, ulong.MaxValue, [1]));
        Assert.That(ReadUntilError(file).Error.Problem, Does.Contain("does not fit in 64-bit nanoseconds"));
    }
}
