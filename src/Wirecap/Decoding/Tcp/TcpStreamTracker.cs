using Wirecap.Formats.Ncap;

namespace Wirecap.Decoding;

/// <summary>
/// Turns TCP sequence numbers into stream offsets, per direction: the byte position of a
/// segment's first data byte, counted from the first byte after the SYN (the SYN itself is at
/// offset 0). A direction first seen without its SYN counts from its first seen segment, so a
/// capture started mid-stream still gets small, increasing offsets. Memory is bounded by
/// <see cref="TcpStreamOptions.MaxStreams"/> (least recently seen forgotten first) and by an idle timeout.
/// Not thread-safe.
/// </summary>
internal sealed class TcpStreamTracker
{
    private readonly Dictionary<TcpDirectionKey, LinkedListNode<TcpDirection>> _directions = [];
    private readonly LinkedList<TcpDirection> _byRecency = new();
    private readonly int _maxStreams;
    private readonly long _idleNs;

    /// <summary>Creates a tracker with the given limits.</summary>
    public TcpStreamTracker(TcpStreamOptions? options = null)
    {
        options ??= new TcpStreamOptions();
        if (options.MaxStreams <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxStreams must be positive.");
        _maxStreams = options.MaxStreams;
        _idleNs = options.IdleTimeout.Ticks * 100;
    }

    /// <summary>Directions currently tracked.</summary>
    public int Count => _directions.Count;

    /// <summary>Directions forgotten to stay under <see cref="TcpStreamOptions.MaxStreams"/>.</summary>
    public long Evicted { get; private set; }

    /// <summary>
    /// Records one segment and returns its stream offset and the stream flags it carries
    /// (<paramref name="tcpFlags"/> is the header's flag byte).
    /// </summary>
    public (uint Offset, NcapTcpFlags Flags) Observe(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination,
        ushort sourcePort, ushort destinationPort, uint sequence, byte tcpFlags, long timestampNs)
    {
        ExpireIdle(timestampNs);
        var key = TcpDirectionKey.From(source, destination, sourcePort, destinationPort);
        bool syn = (tcpFlags & 0x02) != 0, fin = (tcpFlags & 0x01) != 0, rst = (tcpFlags & 0x04) != 0;
        var flags = (syn ? NcapTcpFlags.FirstSegment : 0) | (fin ? NcapTcpFlags.LastSegment : 0) | (rst ? NcapTcpFlags.Reset : 0);

        if (syn || !_directions.TryGetValue(key, out var node))
        {
            // A SYN (re)starts the direction: data begins one past its sequence number.
            if (_directions.Remove(key, out var stale)) _byRecency.Remove(stale);
            node = _byRecency.AddFirst(new TcpDirection(key, syn ? sequence + 1 : sequence, timestampNs));
            _directions.Add(key, node);
            EvictBeyondLimit();
        }
        else
        {
            _byRecency.Remove(node);
            _byRecency.AddFirst(node);
            node.Value.LastSeen = timestampNs;
        }

        uint offset = syn ? 0 : unchecked(sequence - node.Value.DataStart);
        if (rst || fin) Forget(key);
        return (offset, flags);
    }

    private void Forget(TcpDirectionKey key)
    {
        if (_directions.Remove(key, out var node)) _byRecency.Remove(node);
    }

    private void EvictBeyondLimit()
    {
        while (_directions.Count > _maxStreams)
        {
            var oldest = _byRecency.Last!;
            _directions.Remove(oldest.Value.Key);
            _byRecency.RemoveLast();
            Evicted++;
        }
    }

    private void ExpireIdle(long nowNs)
    {
        while (_byRecency.Last is { } oldest && nowNs - oldest.Value.LastSeen > _idleNs)
        {
            _directions.Remove(oldest.Value.Key);
            _byRecency.RemoveLast();
        }
    }

    private sealed class TcpDirection(TcpDirectionKey key, uint dataStart, long lastSeen)
    {
        public TcpDirectionKey Key { get; } = key;
        public uint DataStart { get; } = dataStart;
        public long LastSeen { get; set; } = lastSeen;
    }
}

/// <summary>One direction of a TCP connection.</summary>
internal readonly record struct TcpDirectionKey(UInt128 Source, UInt128 Destination, ushort SourcePort, ushort DestinationPort)
{
    public static TcpDirectionKey From(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ushort sourcePort, ushort destinationPort) =>
        new(Address(source), Address(destination), sourcePort, destinationPort);

    private static UInt128 Address(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => (UInt128)0xffff_0000_0000 | System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes), // as ::ffff:a.b.c.d
        16 => System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes),
        _ => throw new ArgumentException("an address is 4 or 16 bytes", nameof(bytes)),
    };
}
