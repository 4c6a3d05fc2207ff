namespace Wirecap.Linux.Probes;

/// <summary>
/// Gives every sighting of one packet the same <see cref="ProbeTrackingId"/>: keyed by the skb's data
/// head (clones share it), stamped with the first time it was seen, forgotten when the skb is freed
/// (<c>kfree_skb</c>, <c>consume_skb</c>). The table is bounded: when full, it is cleared and counted.
/// </summary>
internal sealed class ProbeTracker
{
    private const int Capacity = 1 << 16;
    private readonly Dictionary<ulong, ulong> _firstSeen = [];

    /// <summary>How many times the table was full and started over.</summary>
    public long Resets { get; private set; }

    public ProbeTrackingId Track(ulong head, ulong kernelTime, bool freed)
    {
        if (!_firstSeen.TryGetValue(head, out ulong first))
        {
            if (_firstSeen.Count >= Capacity)
            {
                _firstSeen.Clear();
                Resets++;
            }
            first = kernelTime;
            if (!freed) _firstSeen[head] = first;
        }
        else if (freed)
        {
            _firstSeen.Remove(head);
        }
        return new ProbeTrackingId(first, head);
    }

    public static bool Frees(ProbeSpec spec) => spec.Kind == ProbeKind.Tracepoint && spec.Target is "kfree_skb" or "consume_skb";
}
