using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>A view over a UDP header and its payload.</summary>
public readonly ref struct UdpHeader
{
    /// <summary>Header length.</summary>
    public const int Length = 8;
    private readonly ReadOnlySpan<byte> _segment;

    private UdpHeader(ReadOnlySpan<byte> segment) => _segment = segment;

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_segment);
    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_segment[2..]);
    /// <summary>Length field (header + payload).</summary>
    public int TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_segment[4..]);
    /// <summary>Checksum as stored (0 = none, IPv4 only).</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_segment[6..]);
    /// <summary>The payload as captured, bounded by the length field.</summary>
    public ReadOnlySpan<byte> Payload => _segment[Length..Math.Min(_segment.Length, Math.Max(Length, TotalLength))];

    /// <summary>Reads the header; false when fewer than 8 bytes were captured.</summary>
    public static bool TryParse(ReadOnlySpan<byte> segment, out UdpHeader header)
    {
        header = segment.Length >= Length ? new UdpHeader(segment) : default;
        return segment.Length >= Length;
    }
}
