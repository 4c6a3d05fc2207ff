using Wirecap.Formats;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>
/// A file opened by path is read through one pooled array instead of a pipe (the faster way): it must
/// deliver exactly what the pipe path delivers from the same bytes, with records larger than the
/// buffer, and keep the pipe path's guarantees on hostile lengths.
/// </summary>
public class FileInputTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("wirecap-file-input-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private static List<Packet> MixedSizes(int interfaces = 2)
    {
        var packets = SamplePackets.Make(40, interfaces, withOptions: true);
        var random = new Random(7);
        // Jumbo records, larger than the 4 KiB buffer used below: the array must grow for them.
        for (int i = 3; i < packets.Count; i += 9)
        {
            var big = new byte[random.Next(5_000, 20_000)];
            random.NextBytes(big);
            packets[i] = new Packet(big, packets[i].TimestampNanoseconds, big.Length, LinkType.Ethernet, packets[i].InterfaceId) { Comments = packets[i].Comments };
        }
        return packets;
    }

    private string Write(CaptureFormat format, IEnumerable<Packet> packets)
    {
        string path = Path.Combine(_directory, $"mixed.{format}");
        using var writer = CaptureWriter.Create(path, format, new CaptureWriterOptions
        {
            Interfaces = format == CaptureFormat.PcapNg ? [new() { Name = "a" }, new() { Name = "b" }] : [new()],
        });
        foreach (var p in packets) writer.Write(p);
        return path;
    }

    private static List<string> Describe(CaptureReader reader, List<bool> multiSegment)
    {
        var seen = new List<string>();
        while (reader.Read())
        {
            var r = reader.Current;
            multiSegment.Add(r.IsMultiSegment);
            seen.Add($"{r.TimestampNanoseconds} {r.OriginalLength} {r.InterfaceId} {Convert.ToHexString(r.Data)} {string.Join("|", Comments(r))}");
        }
        return seen;
    }

    private static List<string> Comments(PacketRecord record)
    {
        var comments = new List<string>();
        foreach (var c in record.Comments) comments.Add(System.Text.Encoding.UTF8.GetString(c));
        return comments;
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void A_file_read_by_path_gives_what_the_pipe_gives_with_records_larger_than_the_buffer(CaptureFormat format)
    {
        string path = Write(format, MixedSizes(format == CaptureFormat.PcapNg ? 2 : 1));
        var options = new CaptureReaderOptions { BufferSize = 4096 };

        var byPathSegments = new List<bool>();
        List<string> byPath;
        using (var reader = CaptureReader.Open(path, options)) byPath = Describe(reader, byPathSegments);

        var pipeSegments = new List<bool>();
        List<string> throughPipe;
        using (var reader = CaptureReader.Open(new MemoryStream(File.ReadAllBytes(path)), options)) throughPipe = Describe(reader, pipeSegments);

        Assert.That(byPath, Has.Count.EqualTo(40));
        Assert.That(byPath, Is.EqualTo(throughPipe));
        Assert.That(byPathSegments, Has.None.True, "a record read by path always lies in one segment");
        Assert.That(pipeSegments, Has.Some.True, "the comparison must cover records the pipe splits");
    }

    [Test]
    public async Task The_asynchronous_path_read_gives_the_same_records()
    {
        string path = Write(CaptureFormat.PcapNg, MixedSizes());
        var expected = new List<string>();
        using (var reader = CaptureReader.Open(path)) expected = Describe(reader, []);

        var seen = new List<string>();
        await using (var reader = await CaptureReader.OpenAsync(path, new CaptureReaderOptions { BufferSize = 4096 }))
            while (await reader.ReadAsync())
                seen.Add($"{reader.Current.TimestampNanoseconds} {reader.Current.OriginalLength} {reader.Current.InterfaceId} {Convert.ToHexString(reader.Current.Data)} {string.Join("|", Comments(reader.Current))}");
        Assert.That(seen, Is.EqualTo(expected));
    }

    [Test]
    public void A_lying_record_length_in_a_file_allocates_only_what_the_file_holds()
    {
        string path = Write(CaptureFormat.Pcap, SamplePackets.Make(3));
        var bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(20), (int)LinkType.DBus); // D-Bus records may be up to 128 MiB
        BitConverter.TryWriteBytes(bytes.AsSpan(24 + 8), 100 * 1024 * 1024);
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<CaptureFormatException>(() =>
        {
            using var reader = CaptureReader.Open(path, new CaptureReaderOptions { BufferSize = 4096 });
            while (reader.Read()) { }
        })!;
        Assert.That(error.Problem, Does.StartWith("truncated pcap record: 104857616 bytes needed"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(4 << 20));
    }

    [Test]
    public void A_truncated_file_fails_at_the_same_offset_by_path_and_through_the_pipe()
    {
        string path = Write(CaptureFormat.PcapNg, MixedSizes());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);

        CaptureFormatException Fail(Func<CaptureReader> open) => Assert.Throws<CaptureFormatException>(() =>
        {
            using var reader = open();
            while (reader.Read()) { }
        })!;
        var byPath = Fail(() => CaptureReader.Open(path, new CaptureReaderOptions { BufferSize = 4096 }));
        var throughPipe = Fail(() => CaptureReader.Open(new MemoryStream(bytes[..(bytes.Length - 100)]), new CaptureReaderOptions { BufferSize = 4096 }));
        Assert.That(byPath.Message, Is.EqualTo(throughPipe.Message));
    }
}
