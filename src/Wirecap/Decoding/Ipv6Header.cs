using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>A view over an IPv6 header, with a walk over its extension headers to the
/// upper-layer protocol.</summary>
public readonly ref struct Ipv6Header
{
    /// <summary>Length of the fixed header.</summary>
    public const int Length = 40;
    private readonly ReadOnlySpan<byte> _packet;

    private Ipv6Header(ReadOnlySpan<byte> packet) => _packet = packet;

    /// <summary>Traffic class.</summary>
    public byte TrafficClass => (byte)(BinaryPrimitives.ReadUInt16BigEndian(_packet) >> 4);
    /// <summary>Flow label (20 bits).</summary>
    public int FlowLabel => (int)(BinaryPrimitives.ReadUInt32BigEndian(_packet) & 0xFFFFF);
    /// <summary>Payload length field (everything after the fixed header).</summary>
    public int PayloadLength => BinaryPrimitives.ReadUInt16BigEndian(_packet[4..]);
    /// <summary>Next header of the fixed header.</summary>
    public byte NextHeader => _packet[6];
    /// <summary>Hop limit.</summary>
    public byte HopLimit => _packet[7];
    /// <summary>Source address (16 bytes).</summary>
    public ReadOnlySpan<byte> Source => _packet.Slice(8, 16);
    /// <summary>Destination address (16 bytes).</summary>
    public ReadOnlySpan<byte> Destination => _packet.Slice(24, 16);
    /// <summary>Everything after the fixed header, as captured and as far as the payload length
    /// allows (a zero payload length, i.e. a jumbogram, takes what was captured).</summary>
    public ReadOnlySpan<byte> Payload => PayloadLength == 0
        ? _packet[Length..]
        : _packet[Length..Math.Min(_packet.Length, Length + PayloadLength)];

    /// <summary>Reads the fixed header; false unless version 6 and 40 bytes were captured.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out Ipv6Header header)
    {
        header = default;
        if (packet.Length < Length || packet[0] >> 4 != 6) return false;
        header = new Ipv6Header(packet);
        return true;
    }

    /// <summary>Starts a walk over the extension headers, at <see cref="NextHeader"/>.</summary>
    internal Ipv6ExtensionWalk WalkExtensionHeaders() => new(Payload, NextHeader);

    /// <summary>Walks the hop-by-hop, routing, destination options, fragment and authentication
    /// headers (any length) to the upper-layer header.</summary>
    /// <param name="protocol">The upper-layer protocol (or the header the walk stopped at, such
    /// as ESP or a header that was cut short).</param>
    /// <param name="offset">Offset of that header within <see cref="Payload"/>.</param>
    /// <param name="fragment">Fragment information when a fragment header was crossed.</param>
    /// <returns>False when an extension header was truncated.</returns>
    internal bool TryFindUpperLayer(out byte protocol, out int offset, out Ipv6Fragment fragment)
    {
        var walk = WalkExtensionHeaders();
        fragment = default;
        do
        {
            if (walk.TryReadFragment(out var crossed)) fragment = crossed;
        }
        while (walk.TryStep());
        protocol = walk.Protocol;
        offset = walk.Offset;
        return !walk.Truncated;
    }
}

/// <summary>What an IPv6 fragment header said.</summary>
/// <param name="Present">A fragment header was crossed.</param>
/// <param name="Offset">Fragment offset in bytes.</param>
/// <param name="MoreFragments">The M flag.</param>
/// <param name="Identification">Fragment identification.</param>
internal readonly record struct Ipv6Fragment(bool Present, int Offset, bool MoreFragments, uint Identification)
{
    /// <summary>True when the packet is a real fragment (not an atomic fragment with offset 0 and no M flag).</summary>
    public bool IsFragment => Present && (Offset != 0 || MoreFragments);
}
