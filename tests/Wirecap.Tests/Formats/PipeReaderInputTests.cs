using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using FsCheck.Fluent;
using NUnit.Framework;
using Wirecap.Bpf;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Tests.Ncap;

namespace Wirecap.Tests.Formats;

/// <summary>
/// Every source is read through a <see cref="PipeReader"/>: a record that straddles two of the pipe's
/// segments reads, and filters, exactly as it does in one contiguous buffer, at every cut point.
/// </summary>
public class PipeReaderInputTests
{
    // Reads bytes near both ends of the frame, so that a cut anywhere in it is crossed by a load.
    private const string Expression = "ip[8] > 127 or ether[len - 1] & 1 = 1 or ether[len - 4:4] & 3 = 2";
    private static readonly BpfFilter Interpreted = Filter(compile: false);
    private static readonly BpfFilter Compiled = Filter(compile: true);

    private static BpfFilter Filter(bool compile) =>
        BpfFilter.Create(FilterCompiler.Compile(Expression, LinkType.Ethernet), new BpfFilterOptions { Compile = compile });

    private static byte[] File(CaptureFormat format, int packets, int seed = 42)
    {
        if (format == CaptureFormat.Ncap)
            return NcapTestData.WriteStream(NcapTestData.Messages().Sample(packets, 20));
        var stream = new MemoryStream();
        using (var writer = CaptureWriter.Create(stream, format, new CaptureWriterOptions { LeaveOpen = true, Precision = TimestampPrecision.Nanosecond }))
            foreach (var p in SamplePackets.Make(packets, seed: seed, withOptions: format == CaptureFormat.PcapNg)) writer.Write(p);
        return stream.ToArray();
    }

    /// <summary>Everything a record carries, and what the filter says of it, as one line.</summary>
    private static string Describe(in PacketRecord record)
    {
        var line = new StringBuilder();
        line.Append($"{record.TimestampNanoseconds} {record.OriginalLength} {record.Length} {record.LinkType} {record.InterfaceId} ");
        line.Append($"{record.Flags} {record.DropCount} {record.PacketId} {Convert.ToHexString(record.Hash)} ");
        foreach (var comment in record.Comments) line.Append(Encoding.UTF8.GetString(comment)).Append('|');
        if (record.LinkType == LinkType.Ethernet)
        {
            var context = new BpfContext { WireLength = (uint)Math.Max(record.OriginalLength, record.Length) };
            // A record that straddles segments is filtered in place, over the sequence.
            uint interpreted = record.IsMultiSegment ? Interpreted.Run(record.Segments, context) : Interpreted.Run(record.Data, context);
            uint compiled = record.IsMultiSegment ? Compiled.Run(record.Segments, context) : Compiled.Run(record.Data, context);
            line.Append($" filter {interpreted} {compiled}");
        }
        line.Append(' ').Append(Convert.ToHexString(record.IsMultiSegment ? record.Segments.ToArray() : record.Data));
        return line.ToString();
    }

    private static (List<string> Lines, int MultiSegment) ReadAll(CaptureReader reader)
    {
        var lines = new List<string>();
        int multiSegment = 0;
        while (reader.Read())
        {
            var record = reader.Current;
            if (record.IsMultiSegment)
            {
                multiSegment++;
                // Data gathers the same bytes the segments hold.
                Assert.That(record.Data.ToArray(), Is.EqualTo(record.Segments.ToArray()));
            }
            lines.Add(Describe(record));
        }
        return (lines, multiSegment);
    }

    private static List<string> Contiguous(byte[] file)
    {
        using var reader = CaptureReader.Open(new MemoryStream(file), new CaptureReaderOptions { BufferSize = file.Length + 1 });
        var (lines, multiSegment) = ReadAll(reader);
        Assert.That(multiSegment, Is.Zero, "one buffer holds the whole file");
        return lines;
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void A_record_cut_at_every_point_reads_and_filters_as_in_one_buffer(CaptureFormat format)
    {
        var file = File(format, 6);
        var expected = Contiguous(file);
        Assert.That(expected, Has.Count.EqualTo(6));
        if (format != CaptureFormat.Ncap)
            Assert.That(expected.Select(line => line.Contains(" filter 0 0", StringComparison.Ordinal)).Distinct().Count(), Is.EqualTo(2),
                "the filter keeps some of the packets and drops others");
        int cutsInsideData = 0;
        for (int cut = 1; cut < file.Length; cut++)
        {
            // The second segment arrives with the second read, or both with the first.
            foreach (bool revealAll in new[] { false, true })
            {
                using var reader = CaptureReader.Open(new ChunkedPipeReader(file, [cut], revealAll));
                var (lines, multiSegment) = ReadAll(reader);
                Assert.That(lines, Is.EqualTo(expected), $"cut at byte {cut}, {(revealAll ? "both segments at once" : "one per read")}");
                cutsInsideData += multiSegment;
            }
        }
        if (format == CaptureFormat.Ncap)
            Assert.That(cutsInsideData, Is.Zero, "NCAP packets are rebuilt from the message, in the reader's own buffer");
        else
            Assert.That(cutsInsideData, Is.GreaterThan(file.Length), "most cuts fall inside a packet's bytes, which then arrive in two segments");
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public async Task Chunks_of_one_to_seven_bytes_read_alike_on_the_span_and_owned_paths(CaptureFormat format)
    {
        var file = File(format, 200);
        var expected = Contiguous(file);
        var expectedOwned = await Owned(CaptureReader.Open(new MemoryStream(file)));
        for (int seed = 1; seed <= 5; seed++)
        {
            using (var reader = CaptureReader.Open(ChunkedPipeReader.Random(file, seed)))
                Assert.That(ReadAll(reader).Lines, Is.EqualTo(expected), $"seed {seed}");
            var owned = await Owned(await CaptureReader.OpenAsync(ChunkedPipeReader.Random(file, seed)));
            Assert.That(owned, Is.EqualTo(expectedOwned), $"owned, seed {seed}");
        }
    }

    private static async Task<List<string>> Owned(CaptureReader reader)
    {
        await using var _ = reader;
        var packets = new List<string>();
        await foreach (var packet in reader.ReadAllAsync()) packets.Add(Describe(packet.AsRecord()) + " " + string.Join("|", packet.Comments));
        return packets;
    }

    [Test]
    public void A_stream_is_read_through_pipe_segments()
    {
        var file = File(CaptureFormat.PcapNg, 3000);
        var expected = Contiguous(file);
        using var reader = CaptureReader.Open(new TrickleStream(file, seed: 3, maxChunk: 5000), new CaptureReaderOptions { BufferSize = 4096 });
        var (lines, multiSegment) = ReadAll(reader);
        Assert.That(lines, Is.EqualTo(expected));
        Assert.That(multiSegment, Is.GreaterThan(10), "4 KiB segments: many records straddle two");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Open_PipeReader_completes_the_pipe_unless_asked_to_leave_it_open(bool leaveOpen)
    {
        var file = File(CaptureFormat.Pcap, 10);
        var pipe = new ChunkedPipeReader(file, [100, 200]);
        using (var reader = CaptureReader.Open(pipe, new CaptureReaderOptions { LeaveOpen = leaveOpen }))
        {
            for (int i = 0; i < 3; i++) Assert.That(reader.Read(), Is.True);
            Assert.That(reader.Position, Is.LessThan(file.Length));
        }
        Assert.That(pipe.Completions, Is.EqualTo(leaveOpen ? 0 : 1));
        if (leaveOpen) Assert.That(pipe.Consumed, Is.GreaterThan(24), "the pipe is advanced past what was read");
    }

    [Test]
    public async Task A_real_pipe_fed_in_small_writes_reads_like_the_file()
    {
        var file = File(CaptureFormat.PcapNg, 300);
        var expected = Contiguous(file);
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 512, pauseWriterThreshold: 0));
        var feeder = Task.Run(async () =>
        {
            for (int i = 0; i < file.Length; i += 333)
                await pipe.Writer.WriteAsync(file.AsMemory(i, Math.Min(333, file.Length - i)));
            await pipe.Writer.CompleteAsync();
        });
        await using var reader = await CaptureReader.OpenAsync(pipe.Reader);
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(Describe(reader.Current));
        Assert.That(lines, Is.EqualTo(expected));
        await feeder;
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void A_truncated_file_fails_with_the_same_message_at_every_cut(CaptureFormat format)
    {
        var whole = File(format, 3);
        var file = whole[..^5];
        string expected = Assert.Throws<CaptureFormatException>(() => Contiguous(file))!.Message;
        for (int cut = 1; cut < file.Length; cut++)
        {
            foreach (bool revealAll in new[] { false, true })
            {
                var error = Assert.Throws<CaptureFormatException>(() =>
                {
                    using var reader = CaptureReader.Open(new ChunkedPipeReader(file, [cut], revealAll));
                    while (reader.Read()) { }
                });
                Assert.That(error!.Message, Is.EqualTo(expected), $"cut at byte {cut}");
            }
        }
    }

    [Test]
    public void NcapReader_reads_messages_cut_at_every_point()
    {
        var messages = NcapTestData.Messages().Sample(3, 20);
        var file = NcapTestData.WriteStream(messages);
        var expected = NcapTestData.ReadStream(new MemoryStream(file));
        Assert.That(expected, Is.EqualTo(messages));
        for (int cut = 1; cut < file.Length; cut++)
        {
            using var reader = new NcapReader(new ChunkedPipeReader(file, [cut], revealAll: cut % 2 == 0));
            var read = new List<NcapMessage>();
            while (reader.Read()) read.Add(reader.Current.ToMessage());
            Assert.That(read, Is.EqualTo(expected), $"cut at byte {cut}");
        }
    }
}
