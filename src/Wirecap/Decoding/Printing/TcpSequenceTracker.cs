using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>tcpdump's table of initial sequence numbers, so seq/ack print relative to the start of
/// each connection: one entry per connection (both directions share it, ordered by port and then
/// address), set from the first segment with ACK seen (or any SYN).</summary>
internal sealed class TcpSequenceTracker
{
    private readonly Dictionary<ConnectionKey, (uint Seq, uint Ack)> _connections = [];

    private readonly record struct ConnectionKey(UInt128 Source, UInt128 Destination, uint Ports, int Version);

    /// <summary>Returns the relative seq/ack of a segment with ACK set, learning the connection
    /// when it is new or the segment has SYN.</summary>
    public (uint Seq, uint Ack) Relative(in IpPacket ip, ushort sourcePort, ushort destinationPort, uint seq, uint ack, bool syn)
    {
        var source = ToUInt128(ip.Source);
        var destination = ToUInt128(ip.Destination);
        bool reversed = sourcePort > destinationPort
            || (sourcePort == destinationPort && ip.Source.SequenceCompareTo(ip.Destination) > 0);
        var key = reversed
            ? new ConnectionKey(destination, source, (uint)destinationPort << 16 | sourcePort, ip.Version)
            : new ConnectionKey(source, destination, (uint)sourcePort << 16 | destinationPort, ip.Version);
        if (!_connections.TryGetValue(key, out var known) || syn)
        {
            _connections[key] = reversed ? (ack - 1, seq) : (seq, ack - 1);
            return (seq, ack);
        }
        return reversed ? (seq - known.Ack, ack - known.Seq) : (seq - known.Seq, ack - known.Ack);
    }

    private static UInt128 ToUInt128(ReadOnlySpan<byte> address) =>
        address.Length == 16 ? BinaryPrimitives.ReadUInt128BigEndian(address) : BinaryPrimitives.ReadUInt32BigEndian(address);
}
