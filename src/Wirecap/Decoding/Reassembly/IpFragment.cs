using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>
/// Where a fragment sits in its datagram, read from an IPv4 header or an IPv6 Fragment
/// extension header. Offsets are positions in the packet span.
/// </summary>
internal readonly struct IpFragment
{
    public FragmentKey Key { get; init; }
    /// <summary>Byte offset of this fragment's data within the reassembled payload.</summary>
    public int Offset { get; init; }
    public bool MoreFragments { get; init; }
    /// <summary>Length of the header part kept in the reassembled datagram (IPv4 header; IPv6 unfragmentable part).</summary>
    public int HeaderLength { get; init; }
    /// <summary>Start of the fragment data in the packet.</summary>
    public int DataStart { get; init; }
    public int DataLength { get; init; }
    /// <summary>IPv6 only: position of the Next Header byte that named the Fragment header, and the value to put there.</summary>
    public int NextHeaderPosition { get; init; }
    public byte NextHeader { get; init; }

    public bool IsIPv6 => Key.Version == 6;

    /// <summary>
    /// Reads the fragment description of an IP packet; false when it is not a fragment, not IP,
    /// or too short to tell (such packets are passed through untouched).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out IpFragment fragment)
    {
        fragment = default;
        if (packet.IsEmpty) return false;
        return (packet[0] >> 4) switch
        {
            4 => TryReadIPv4(packet, out fragment),
            6 => TryReadIPv6(packet, out fragment),
            _ => false,
        };
    }

    private static bool TryReadIPv4(ReadOnlySpan<byte> packet, out IpFragment fragment)
    {
        fragment = default;
        if (packet.Length < 20) return false;
        int headerLength = (packet[0] & 0x0f) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < 20 || totalLength < headerLength || totalLength > packet.Length) return false;
        ushort flagsAndOffset = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        bool more = (flagsAndOffset & 0x2000) != 0;
        int offset = (flagsAndOffset & 0x1fff) * 8;
        if (!more && offset == 0) return false;
        fragment = new IpFragment
        {
            Key = new FragmentKey(
                BinaryPrimitives.ReadUInt32BigEndian(packet[12..]),
                BinaryPrimitives.ReadUInt32BigEndian(packet[16..]),
                BinaryPrimitives.ReadUInt16BigEndian(packet[4..]),
                packet[9],
                4),
            Offset = offset,
            MoreFragments = more,
            HeaderLength = headerLength,
            DataStart = headerLength,
            DataLength = totalLength - headerLength,
        };
        return true;
    }

    private static bool TryReadIPv6(ReadOnlySpan<byte> packet, out IpFragment fragment)
    {
        fragment = default;
        if (!Ipv6Header.TryParse(packet, out var ipv6)) return false;
        int end = Ipv6Header.Length + ipv6.PayloadLength;
        if (end == Ipv6Header.Length || end > packet.Length) return false; // jumbograms and truncated captures are not reassembled
        var walk = ipv6.WalkExtensionHeaders();
        int nextHeaderPosition = 6; // the byte that names the header the walk stands at
        // Only the unfragmentable part (hop-by-hop, routing, destination options) precedes the Fragment header.
        while (walk.Protocol is IpProtocols.HopByHop or IpProtocols.Routing or IpProtocols.DestinationOptions)
        {
            nextHeaderPosition = Ipv6Header.Length + walk.Offset;
            if (!walk.TryStep()) return false;
        }
        if (!walk.TryReadFragment(out var header)) return false;
        int position = Ipv6Header.Length + walk.Offset;
        fragment = new IpFragment
        {
            Key = new FragmentKey(
                BinaryPrimitives.ReadUInt128BigEndian(ipv6.Source),
                BinaryPrimitives.ReadUInt128BigEndian(ipv6.Destination),
                header.Identification,
                0,
                6),
            Offset = header.Offset,
            MoreFragments = header.MoreFragments,
            HeaderLength = position,
            DataStart = position + 8,
            DataLength = end - position - 8,
            NextHeaderPosition = nextHeaderPosition,
            NextHeader = packet[position],
        };
        return true;
    }
}
