namespace Wirecap.Decoding;

/// <summary>Running counters of a <see cref="FragmentReassembler"/>; datagrams given up are counted once, by reason.</summary>
public sealed class ReassemblyStatistics
{
    private readonly long[] _dropped = new long[Enum.GetValues<FragmentDropReason>().Length];

    /// <summary>Fragments accepted into a pending datagram.</summary>
    public long FragmentsStored { get; internal set; }

    /// <summary>Exact duplicates of fragments already held (ignored, not an error).</summary>
    public long DuplicateFragments { get; internal set; }

    /// <summary>Fragments that arrived for a datagram already given up (ignored until it times out).</summary>
    public long FragmentsOfDroppedDatagrams { get; internal set; }

    /// <summary>Datagrams completed.</summary>
    public long DatagramsReassembled { get; internal set; }

    /// <summary>Datagrams (or lone fragments) given up for <paramref name="reason"/>.</summary>
    public long Dropped(FragmentDropReason reason) => _dropped[(int)reason];

    /// <summary>Datagrams given up for any reason.</summary>
    public long DroppedTotal => _dropped.Sum();

    internal void CountDrop(FragmentDropReason reason) => _dropped[(int)reason]++;
}
