namespace Wirecap.Sinks;

/// <summary>The bytes a collector's directory may still take, shared by its streams. A stream reserves an upper
/// bound of what a block will add before writing it and settles to what the writer produced after, so the sum of
/// the files never passes the limit even while many streams write at once.</summary>
internal sealed class CollectorQuota(long? limit)
{
    private long _used;

    public long? Limit { get; } = limit;

    public long Used => Volatile.Read(ref _used);

    /// <summary>Counts files already in the directory (they take the same disk).</summary>
    public void CountExisting(string directory)
    {
        long existing = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)) existing += file.Length;
        Interlocked.Add(ref _used, existing);
    }

    public bool TryReserve(long bytes)
    {
        if (Limit is not { } limit)
        {
            // Counted all the same: Settle gives back what was reserved, and DirectoryBytes must stay true without a limit.
            Interlocked.Add(ref _used, bytes);
            return true;
        }
        while (true)
        {
            long used = Volatile.Read(ref _used);
            if (used + bytes > limit) return false;
            if (Interlocked.CompareExchange(ref _used, used + bytes, used) == used) return true;
        }
    }

    /// <summary>Corrects a reservation by what was really written (negative when less was).</summary>
    public void Adjust(long bytes) => Interlocked.Add(ref _used, bytes);
}
