using Wirecap.Formats;

namespace Wirecap.Tests.Formats;

/// <summary>A record reduced to comparable values (arrays and lists compared by content).</summary>
public sealed record RecordValues(string Data, long Timestamp, int OriginalLength, LinkType LinkType, int InterfaceId,
    uint Flags, ulong? DropCount, ulong? PacketId, string Hash, string Comments)
{
    public static RecordValues From(in PacketRecord r) => new(Convert.ToHexString(r.Data), r.TimestampNanoseconds,
        r.OriginalLength, r.LinkType, r.InterfaceId, r.Flags, r.DropCount, r.PacketId, Convert.ToHexString(r.Hash),
        string.Join("\u0001", r.Comments.ToList()));

    public static RecordValues From(Packet p) => new(Convert.ToHexString(p.Data.Span), p.TimestampNanoseconds,
        p.OriginalLength, p.LinkType, p.InterfaceId, p.Flags, p.DropCount, p.PacketId, Convert.ToHexString(p.Hash ?? []),
        string.Join("\u0001", p.Comments));
}

/// <summary>Reads bytes back three ways (sync span path, async over a trickling non-seekable stream, owned packets).</summary>
public static class ReadBack
{
    public static List<RecordValues> Sync(byte[] file)
    {
        using var reader = CaptureReader.Open(new MemoryStream(file));
        var records = new List<RecordValues>();
        while (reader.Read()) records.Add(RecordValues.From(reader.Current));
        return records;
    }

    public static List<RecordValues> AsyncTrickle(byte[] file, int seed)
    {
        return Run().GetAwaiter().GetResult();

        async Task<List<RecordValues>> Run()
        {
            await using var reader = await CaptureReader.OpenAsync(new TrickleStream(file, seed), new CaptureReaderOptions { BufferSize = 16 });
            var records = new List<RecordValues>();
            while (await reader.ReadAsync()) records.Add(Current(reader));
            return records;
        }

        static RecordValues Current(CaptureReader reader) => RecordValues.From(reader.Current);
    }

    public static List<RecordValues> Owned(byte[] file)
    {
        return Run().GetAwaiter().GetResult();

        async Task<List<RecordValues>> Run()
        {
            await using var reader = CaptureReader.Open(new TrickleStream(file, 7, 4096));
            var records = new List<RecordValues>();
            await foreach (var packet in reader.ReadAllAsync()) records.Add(RecordValues.From(packet));
            return records;
        }
    }

    /// <summary>True when all three ways give <paramref name="expected"/>; describes the first difference otherwise.</summary>
    public static string? Compare(byte[] file, IReadOnlyList<RecordValues> expected, int seed)
    {
        foreach (var (how, actual) in new[] { ("sync", Sync(file)), ("async trickle", AsyncTrickle(file, seed)), ("owned", Owned(file)) })
        {
            if (actual.Count != expected.Count) return $"{how}: {actual.Count} records, expected {expected.Count}";
            for (int i = 0; i < actual.Count; i++)
                if (actual[i] != expected[i]) return $"{how}: record {i} is {actual[i]}, expected {expected[i]}";
        }
        return null;
    }
}
