using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>The span path allocates nothing per packet, synchronously or through ReadAsync on buffered data.</summary>
public class ZeroAllocationTests
{
    private static byte[] File(CaptureFormat format)
    {
        var stream = new MemoryStream();
        using (var writer = CaptureWriter.Create(stream, format, new CaptureWriterOptions { LeaveOpen = true }))
            foreach (var p in SamplePackets.Make(5000, withOptions: format == CaptureFormat.PcapNg)) writer.Write(p);
        return stream.ToArray();
    }

    private static long Drain(CaptureReader reader)
    {
        long sum = 0;
        while (reader.Read())
        {
            var r = reader.Current;
            sum += r.Data.Length + r.OriginalLength + (long)(r.DropCount ?? 0) + r.Hash.Length;
            foreach (var comment in r.Comments) sum += comment.Length;
        }
        return sum;
    }

    /// <summary>Returns how many ReadAsync calls did not complete synchronously.</summary>
    private static int DrainAsync(CaptureReader reader)
    {
        int waited = 0;
        while (true)
        {
            var next = reader.ReadAsync();
            if (!next.IsCompletedSuccessfully) waited++;
            if (!next.GetAwaiter().GetResult()) return waited;
        }
    }

    private const int Rounds = 6;

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void Reading_records_allocates_nothing(CaptureFormat format)
    {
        var file = File(format);
        var options = new CaptureReaderOptions { BufferSize = file.Length + 1 };
        CaptureReader Open() => CaptureReader.Open(new MemoryStream(file), options);
        long sum = 0;
        int waited = 0;
        long sync = Allocations.Quietest(Rounds, Open, reader => sum += Drain(reader));
        long asynchronous = Allocations.Quietest(Rounds, Open, reader => waited += DrainAsync(reader));
        Assert.That(sum, Is.GreaterThan(0));
        Assert.That(sync, Is.Zero, "sync span path");
        Assert.That(waited, Is.Zero, "buffered records complete synchronously");
        Assert.That(asynchronous, Is.Zero, "ReadAsync on buffered data");
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void Writing_records_allocates_nothing(CaptureFormat format)
    {
        var data = new byte[1000];
        var options = new CaptureWriterOptions { BufferSize = 1 << 16 };
        long allocated = Allocations.Quietest(Rounds, () => CaptureWriter.Create(Stream.Null, format, options), writer =>
        {
            for (int i = 0; i < 5000; i++) writer.Write(data, 1_700_000_000_000_000_000 + i, 1500);
        });
        Assert.That(allocated, Is.Zero);
    }
}
