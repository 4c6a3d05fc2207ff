namespace Wirecap.Decoding;

/// <summary>The network layer of an IPv4 or IPv6 packet reduced to what transport decoding
/// needs: addresses, upper-layer protocol and its bytes.</summary>
public readonly ref struct IpPacket
{
    /// <summary>4 or 6.</summary>
    public int Version { get; init; }
    /// <summary>Source address (4 or 16 bytes).</summary>
    public ReadOnlySpan<byte> Source { get; init; }
    /// <summary>Destination address (4 or 16 bytes).</summary>
    public ReadOnlySpan<byte> Destination { get; init; }
    /// <summary>Upper-layer protocol after IPv6 extension headers.</summary>
    public byte Protocol { get; init; }
    /// <summary>The upper-layer bytes as captured (bounded by the IP length fields).</summary>
    public ReadOnlySpan<byte> Payload { get; init; }
    /// <summary>Upper-layer length according to the IP header(s), which may exceed what was captured.</summary>
    public int PayloadLength { get; init; }
    /// <summary>True when the packet is a fragment (not the whole upper-layer message).</summary>
    public bool IsFragment { get; init; }
    /// <summary>True for a fragment other than the first (no upper-layer header in it).</summary>
    public bool IsLaterFragment { get; init; }
    /// <summary>Hop limit / TTL.</summary>
    public byte HopLimit { get; init; }

    /// <summary>Decodes an IPv4 or IPv6 header and, for IPv6, walks the extension headers.</summary>
    /// <returns>False when the bytes are not a complete IP header (or an IPv6 extension header was cut short).</returns>
    public static bool TryParse(ushort etherType, ReadOnlySpan<byte> packet, out IpPacket ip)
    {
        ip = default;
        if (etherType == EtherTypes.IPv4)
        {
            if (!Ipv4Header.TryParse(packet, out var v4)) return false;
            ip = new IpPacket
            {
                Version = 4, Source = v4.Source, Destination = v4.Destination, Protocol = v4.Protocol,
                Payload = v4.Payload, PayloadLength = v4.PayloadLength, IsFragment = v4.IsFragment,
                IsLaterFragment = v4.FragmentOffset != 0, HopLimit = v4.TimeToLive,
            };
            return true;
        }
        if (etherType == EtherTypes.IPv6)
        {
            if (!Ipv6Header.TryParse(packet, out var v6)) return false;
            if (!v6.TryFindUpperLayer(out byte protocol, out int offset, out var fragment)) return false;
            var payload = v6.Payload;
            ip = new IpPacket
            {
                Version = 6, Source = v6.Source, Destination = v6.Destination, Protocol = protocol,
                Payload = payload[offset..], PayloadLength = Math.Max(0, (v6.PayloadLength == 0 ? payload.Length : v6.PayloadLength) - offset),
                IsFragment = fragment.IsFragment, IsLaterFragment = fragment.IsFragment && fragment.Offset != 0,
                HopLimit = v6.HopLimit,
            };
            return true;
        }
        return false;
    }
}
