using System.IO.Pipelines;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Ncap;

/// <summary><see cref="CaptureFiles"/> over a <see cref="PipeReader"/>: every format, NCAP rebuilt into frames, the same
/// frames as over a stream even when the pipe's segments cut records apart.</summary>
public class CaptureFilesPipeTests
{
    public static IEnumerable<TestCaseData> Inputs()
    {
        byte[] pcapng = File.ReadAllBytes(Repository.SamplePath);
        yield return new TestCaseData(pcapng, CaptureFormat.PcapNg).SetArgDisplayNames("pcapng");
        yield return new TestCaseData(Convert(pcapng, CaptureFormat.Pcap), CaptureFormat.Pcap).SetArgDisplayNames("pcap");
        yield return new TestCaseData(Convert(pcapng, CaptureFormat.Ncap), CaptureFormat.Ncap).SetArgDisplayNames("ncap");
    }

    [TestCaseSource(nameof(Inputs))]
    public async Task APipeGivesTheFramesAStreamGives(byte[] file, CaptureFormat format)
    {
        var expected = Frames(CaptureFiles.OpenReader(new MemoryStream(file)));
        Assert.That(expected, Has.Count.GreaterThan(2), "the input holds frames");

        using (var reader = CaptureFiles.OpenReader(SmallSegments(file)))
        {
            Assert.That(reader.Format, Is.EqualTo(format));
            Assert.That(Frames(reader, dispose: false), Is.EqualTo(expected), "synchronous");
        }
        await using (var reader = await CaptureFiles.OpenReaderAsync(SmallSegments(file)))
        {
            var frames = new List<string>();
            while (await reader.ReadAsync()) frames.Add(Describe(reader.Current));
            Assert.That(frames, Is.EqualTo(expected), "asynchronous");
        }
    }

    [Test]
    public void ThePipeIsCompletedOnDisposeUnlessLeftOpen()
    {
        byte[] file = Convert(File.ReadAllBytes(Repository.SamplePath), CaptureFormat.Ncap);
        var kept = Filled(file);
        CaptureFiles.OpenReader(kept.Reader, new CaptureReaderOptions { LeaveOpen = true }).Dispose();
        Assert.DoesNotThrow(() => kept.Reader.TryRead(out _), "left open: the caller may read on");

        var owned = Filled(file);
        CaptureFiles.OpenReader(owned.Reader).Dispose();
        Assert.Throws<InvalidOperationException>(() => owned.Reader.TryRead(out _), "completed by the reader");

        static Pipe Filled(byte[] file)
        {
            var pipe = new Pipe();
            pipe.Writer.WriteAsync(file).AsTask().GetAwaiter().GetResult();
            pipe.Writer.Complete();
            return pipe;
        }
    }

    [Test]
    public void AnUnknownFormatThroughAPipeSaysSo()
    {
        var e = Assert.Throws<CaptureFormatException>(() => CaptureFiles.OpenReader(SmallSegments(new byte[64])));
        Assert.That(e!.Message, Does.Contain("unknown magic number"));
    }

    /// <summary>A pipe handing out at most 64 bytes at a time, so records straddle its segments.</summary>
    private static PipeReader SmallSegments(byte[] file) =>
        PipeReader.Create(new MemoryStream(file), new StreamPipeReaderOptions(bufferSize: 64, minimumReadSize: 16));

    private static List<string> Frames(CaptureReader reader, bool dispose = true)
    {
        var frames = new List<string>();
        try
        {
            while (reader.Read()) frames.Add(Describe(reader.Current));
        }
        finally
        {
            if (dispose) reader.Dispose();
        }
        return frames;
    }

    private static string Describe(PacketRecord record)
    {
        var packet = record.ToPacket();
        return $"{packet.LinkType} {packet.TimestampNanoseconds} {packet.OriginalLength} {System.Convert.ToHexString(packet.Data.Span)}";
    }

    private static byte[] Convert(byte[] file, CaptureFormat format)
    {
        var output = new MemoryStream();
        using (var reader = CaptureFiles.OpenReader(new MemoryStream(file)))
        using (var writer = CaptureFiles.CreateWriter(output, format, new CaptureWriterOptions { LeaveOpen = true, LinkType = reader.Interfaces[0].LinkType }))
            while (reader.Read())
                if (reader.Current.InterfaceId == 0) writer.Write(reader.Current); // pcap holds one interface
        return output.ToArray();
    }
}
