using Capture.Formats;
using NUnit.Framework;

namespace Capture.Tests.Formats;

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
        // Tiered JIT work (call counting, on-stack replacement) can allocate on this thread during the
        // first rounds; a per-packet allocation would show in every round, so the quietest round must be 0.
        var syncRounds = new List<long>();
        for (int round = 0; round < Rounds; round++)
        {
            using var reader = CaptureReader.Open(new MemoryStream(file), options);
            long before = GC.GetAllocatedBytesForCurrentThread();
            long sum = Drain(reader);
            syncRounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.That(sum, Is.GreaterThan(0));
        }
        Assert.That(syncRounds.Skip(1).Min(), Is.Zero, "sync span path; rounds: " + string.Join(", ", syncRounds));
        var asyncRounds = new List<long>();
        for (int round = 0; round < Rounds; round++)
        {
            using var reader = CaptureReader.Open(new MemoryStream(file), options);
            long before = GC.GetAllocatedBytesForCurrentThread();
            int waited = DrainAsync(reader);
            asyncRounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.That(waited, Is.Zero, "buffered records complete synchronously");
        }
        Assert.That(asyncRounds.Skip(1).Min(), Is.Zero, "ReadAsync on buffered data; rounds: " + string.Join(", ", asyncRounds));
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void Writing_records_allocates_nothing(CaptureFormat format)
    {
        var data = new byte[1000];
        for (int round = 0; round < 2; round++)
        {
            using var writer = CaptureWriter.Create(Stream.Null, format, new CaptureWriterOptions { BufferSize = 1 << 16 });
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5000; i++) writer.Write(data, 1_700_000_000_000_000_000 + i, 1500);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1) Assert.That(allocated, Is.Zero);
        }
    }
}
