using System.Buffers;

namespace Wirecap.Decoding;

/// <summary>
/// Bounded reassembly of IPv4 and IPv6 fragments. Feed it every IP packet; it passes
/// non-fragments through, holds fragments until their datagram is complete, and gives up on
/// datagrams that time out, overlap, are malformed or do not fit the memory limit — each
/// counted once in <see cref="Statistics"/>. Time is taken from packet timestamps. Not thread-safe.
/// </summary>
internal sealed class FragmentReassembler : IDisposable
{
    private readonly Dictionary<FragmentKey, PendingDatagram> _pending = [];
    private readonly Queue<(FragmentKey Key, long Generation)> _byAge = new();
    private readonly long _timeoutNs;
    private readonly long _memoryLimit;
    private byte[] _output = ArrayPool<byte>.Shared.Rent(2048);
    private long _generation;

    /// <summary>Creates a reassembler with the given limits (defaults: 60 s, 4 MiB).</summary>
    public FragmentReassembler(ReassemblyOptions? options = null)
    {
        options ??= new ReassemblyOptions();
        if (options.Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "Timeout must be positive.");
        if (options.MemoryLimit <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MemoryLimit must be positive.");
        _timeoutNs = options.Timeout.Ticks * 100;
        _memoryLimit = options.MemoryLimit;
    }

    /// <summary>Counters of what was reassembled and what was given up, by reason.</summary>
    public ReassemblyStatistics Statistics { get; } = new();

    /// <summary>Incomplete datagrams currently held.</summary>
    public int PendingDatagrams => _pending.Count(p => !p.Value.Dead);

    /// <summary>Memory currently charged against <see cref="ReassemblyOptions.MemoryLimit"/>.</summary>
    public long PendingBytes { get; private set; }

    /// <summary>
    /// Offers one IP packet (starting at the IP header) captured at <paramref name="timestampNs"/>.
    /// <paramref name="datagram"/> is the packet itself for <see cref="ReassemblyStatus.NotFragment"/>,
    /// the whole datagram for <see cref="ReassemblyStatus.Complete"/> (valid until the next call),
    /// and empty otherwise.
    /// </summary>
    public ReassemblyStatus Submit(ReadOnlySpan<byte> ipPacket, long timestampNs, out ReadOnlySpan<byte> datagram)
    {
        ObjectDisposedException.ThrowIf(_output.Length == 0, this);
        Expire(timestampNs);
        datagram = default;
        if (!IpFragment.TryRead(ipPacket, out var fragment))
        {
            datagram = ipPacket;
            return ReassemblyStatus.NotFragment;
        }

        int extraHeader = fragment.IsIPv6 ? fragment.HeaderLength - 40 : fragment.HeaderLength;
        if (fragment.Offset + fragment.DataLength + extraHeader > 65535)
            return DropLone(FragmentDropReason.TooLarge, fragment.Key);

        if (!_pending.TryGetValue(fragment.Key, out var entry))
        {
            entry = new PendingDatagram(timestampNs, ++_generation);
            _pending.Add(fragment.Key, entry);
            _byAge.Enqueue((fragment.Key, entry.Generation));
        }
        if (entry.Dead)
        {
            Statistics.FragmentsOfDroppedDatagrams++;
            return ReassemblyStatus.Dropped;
        }

        long chargeBefore = entry.Charge;
        var result = entry.Add(fragment, ipPacket);
        switch (result)
        {
            case PendingDatagram.AddResult.Duplicate:
                Statistics.DuplicateFragments++;
                return ReassemblyStatus.Incomplete;
            case PendingDatagram.AddResult.Overlap:
                return Kill(fragment.Key, entry, FragmentDropReason.Overlap);
            case PendingDatagram.AddResult.Malformed:
                return Kill(fragment.Key, entry, FragmentDropReason.Malformed);
        }
        Statistics.FragmentsStored++;
        PendingBytes += entry.Charge - chargeBefore;
        if (entry.Charge > _memoryLimit)
        {
            return Kill(fragment.Key, entry, FragmentDropReason.MemoryCap);
        }
        EvictOldestUntilWithinLimit(fragment.Key);

        if (!entry.IsComplete) return ReassemblyStatus.Incomplete;
        int length = entry.Assemble(ref _output, fragment.IsIPv6);
        Forget(fragment.Key, entry);
        Statistics.DatagramsReassembled++;
        datagram = _output.AsSpan(0, length);
        return ReassemblyStatus.Complete;
    }

    /// <summary>Gives up on datagrams first seen more than the timeout before <paramref name="nowNs"/>; returns how many.
    /// Cheap when nothing is pending, so it can run on every packet.</summary>
    public int Expire(long nowNs)
    {
        if (_byAge.Count == 0) return 0;
        int expired = 0;
        while (_byAge.TryPeek(out var oldest))
        {
            if (!_pending.TryGetValue(oldest.Key, out var entry) || entry.Generation != oldest.Generation)
            {
                _byAge.Dequeue(); // completed or replaced
                continue;
            }
            if (nowNs - entry.FirstSeen <= _timeoutNs) break;
            _byAge.Dequeue();
            if (!entry.Dead)
            {
                Statistics.CountDrop(FragmentDropReason.Expired);
                expired++;
            }
            Forget(oldest.Key, entry);
        }
        return expired;
    }

    private void EvictOldestUntilWithinLimit(FragmentKey keep)
    {
        foreach (var (key, generation) in _byAge)
        {
            if (PendingBytes <= _memoryLimit) return;
            // The entry being filled is never evicted for its own fragment; if it alone exceeds the limit it was killed above.
            if (key.Equals(keep) || !_pending.TryGetValue(key, out var entry) || entry.Generation != generation) continue;
            // Evicted entirely (no tombstone): more fragments of it start a new entry, counted again if that fails too.
            if (!entry.Dead) Statistics.CountDrop(FragmentDropReason.MemoryCap);
            Forget(key, entry);
        }
    }

    private ReassemblyStatus Kill(FragmentKey key, PendingDatagram entry, FragmentDropReason reason)
    {
        PendingBytes -= entry.Charge;
        entry.Kill();
        PendingBytes += entry.Charge;
        Statistics.CountDrop(reason);
        EvictOldestUntilWithinLimit(key);
        return ReassemblyStatus.Dropped;
    }

    private ReassemblyStatus DropLone(FragmentDropReason reason, FragmentKey key)
    {
        if (_pending.TryGetValue(key, out var entry) && !entry.Dead) return Kill(key, entry, reason);
        if (entry is null) Statistics.CountDrop(reason);
        else Statistics.FragmentsOfDroppedDatagrams++;
        return ReassemblyStatus.Dropped;
    }

    private void Forget(FragmentKey key, PendingDatagram entry)
    {
        PendingBytes -= entry.Charge;
        entry.Release();
        _pending.Remove(key);
    }

    /// <summary>Returns every pooled buffer; pending datagrams are discarded without being counted.</summary>
    public void Dispose()
    {
        if (_output.Length == 0) return;
        foreach (var entry in _pending.Values) entry.Release();
        _pending.Clear();
        _byAge.Clear();
        PendingBytes = 0;
        ArrayPool<byte>.Shared.Return(_output);
        _output = [];
    }
}
