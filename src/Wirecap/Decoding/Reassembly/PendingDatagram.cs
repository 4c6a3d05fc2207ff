using System.Buffers;

namespace Wirecap.Decoding;

/// <summary>An incomplete datagram: its fragments in pooled buffers, and what is known of its end.</summary>
internal sealed class PendingDatagram
{
    private readonly List<(int Offset, int Length, byte[] Data)> _fragments = [];
    private byte[]? _header;
    private int _headerLength;

    public PendingDatagram(long firstSeen, long generation)
    {
        FirstSeen = firstSeen;
        Generation = generation;
    }

    public long FirstSeen { get; }
    /// <summary>Distinguishes this entry from a later one with the same key in the eviction queue.</summary>
    public long Generation { get; }
    /// <summary>Given up: later fragments are ignored until the entry times out.</summary>
    public bool Dead { get; private set; }
    /// <summary>Memory charged against the reassembler's limit.</summary>
    public long Charge { get; private set; }
    /// <summary>Payload length, known once the last fragment arrived; -1 before.</summary>
    public int TotalLength { get; private set; } = -1;
    public int ReceivedLength { get; private set; }
    public bool IsComplete => TotalLength >= 0 && ReceivedLength == TotalLength && _header is not null;

    public enum AddResult { Stored, Duplicate, Overlap, Malformed }

    public AddResult Add(in IpFragment fragment, ReadOnlySpan<byte> packet)
    {
        int start = fragment.Offset, end = fragment.Offset + fragment.DataLength;
        if (fragment.MoreFragments && (fragment.DataLength == 0 || fragment.DataLength % 8 != 0)) return AddResult.Malformed;
        if (!fragment.MoreFragments)
        {
            if (TotalLength >= 0 && TotalLength != end) return AddResult.Malformed;
            foreach (var f in _fragments) if (f.Offset + f.Length > end) return AddResult.Malformed;
        }
        else if (TotalLength >= 0 && end > TotalLength) return AddResult.Malformed;

        var data = packet.Slice(fragment.DataStart, fragment.DataLength);
        foreach (var f in _fragments)
        {
            if (start >= f.Offset + f.Length || end <= f.Offset) continue;
            bool identical = start == f.Offset && end == f.Offset + f.Length && data.SequenceEqual(f.Data.AsSpan(0, f.Length));
            return identical ? AddResult.Duplicate : AddResult.Overlap;
        }

        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(1, data.Length));
        data.CopyTo(copy);
        _fragments.Add((start, data.Length, copy));
        ReceivedLength += data.Length;
        Charge += data.Length + ReassemblyOptions.PerFragmentOverhead;
        if (!fragment.MoreFragments) TotalLength = end;
        if (fragment.Offset == 0) KeepHeader(fragment, packet);
        return AddResult.Stored;
    }

    private void KeepHeader(in IpFragment fragment, ReadOnlySpan<byte> packet)
    {
        _headerLength = fragment.HeaderLength;
        _header = ArrayPool<byte>.Shared.Rent(_headerLength);
        packet[.._headerLength].CopyTo(_header);
        if (fragment.IsIPv6) _header[fragment.NextHeaderPosition] = fragment.NextHeader; // the Fragment header is removed
        Charge += _headerLength;
    }

    /// <summary>Writes the whole datagram (header of the first fragment, then the payload) into <paramref name="buffer"/>.</summary>
    public int Assemble(ref byte[] buffer, bool ipv6)
    {
        int length = _headerLength + TotalLength;
        if (buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(length);
        }
        var output = buffer.AsSpan(0, length);
        _header.AsSpan(0, _headerLength).CopyTo(output);
        foreach (var f in _fragments) f.Data.AsSpan(0, f.Length).CopyTo(output[(_headerLength + f.Offset)..]);
        if (ipv6) IpHeaderFixups.CompleteIPv6(output);
        else IpHeaderFixups.CompleteIPv4(output);
        return length;
    }

    /// <summary>Frees the fragments and leaves a tombstone, charged a fixed overhead so floods of bad fragments stay bounded.</summary>
    public void Kill()
    {
        Release();
        Dead = true;
        Charge = ReassemblyOptions.PerFragmentOverhead;
    }

    public void Release()
    {
        foreach (var f in _fragments) ArrayPool<byte>.Shared.Return(f.Data);
        _fragments.Clear();
        if (_header is not null) ArrayPool<byte>.Shared.Return(_header);
        _header = null;
        Charge = 0;
    }
}
