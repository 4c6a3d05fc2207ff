using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>A view over an IPv4 header (with options) and the datagram it heads.</summary>
public readonly ref struct Ipv4Header
{
    /// <summary>Length of a header without options.</summary>
    public const int MinLength = 20;
    private readonly ReadOnlySpan<byte> _packet;

    private Ipv4Header(ReadOnlySpan<byte> packet) => _packet = packet;

    /// <summary>Header length in bytes (IHL × 4, 20 to 60).</summary>
    public int HeaderLength => (_packet[0] & 0x0F) * 4;
    /// <summary>Type of service / DSCP+ECN byte.</summary>
    public byte TypeOfService => _packet[1];
    /// <summary>Total length field (header + payload) as written in the header.</summary>
    public int TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_packet[2..]);
    /// <summary>Identification field.</summary>
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_packet[4..]);
    /// <summary>The "don't fragment" flag.</summary>
    public bool DontFragment => (_packet[6] & 0x40) != 0;
    /// <summary>The "more fragments" flag.</summary>
    public bool MoreFragments => (_packet[6] & 0x20) != 0;
    /// <summary>Fragment offset in bytes.</summary>
    public int FragmentOffset => (BinaryPrimitives.ReadUInt16BigEndian(_packet[6..]) & 0x1FFF) * 8;
    /// <summary>True for any fragment (first, middle or last) of a fragmented datagram.</summary>
    public bool IsFragment => MoreFragments || FragmentOffset != 0;
    /// <summary>Time to live.</summary>
    public byte TimeToLive => _packet[8];
    /// <summary>Upper-layer protocol (see <see cref="IpProtocols"/>).</summary>
    public byte Protocol => _packet[9];
    /// <summary>Header checksum as stored.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_packet[10..]);
    /// <summary>Source address (4 bytes).</summary>
    public ReadOnlySpan<byte> Source => _packet.Slice(12, 4);
    /// <summary>Destination address (4 bytes).</summary>
    public ReadOnlySpan<byte> Destination => _packet.Slice(16, 4);
    /// <summary>Options between the fixed header and the payload.</summary>
    public ReadOnlySpan<byte> Options => _packet[MinLength..HeaderLength];
    /// <summary>The payload as far as it was captured and as far as the total length allows
    /// (link-layer padding after the datagram is excluded).</summary>
    public ReadOnlySpan<byte> Payload => _packet[HeaderLength..Math.Min(_packet.Length, Math.Max(TotalLength, HeaderLength))];
    /// <summary>Payload length according to the header (total length − header length).</summary>
    public int PayloadLength => Math.Max(0, TotalLength - HeaderLength);
    /// <summary>True when the header checksum verifies.</summary>
    public bool ChecksumValid => InternetChecksum.Compute(_packet[..HeaderLength]) == 0;

    /// <summary>Reads the header; false unless it is version 4 with a sane header length that was
    /// captured completely.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out Ipv4Header header)
    {
        header = default;
        if (packet.Length < MinLength || packet[0] >> 4 != 4) return false;
        int headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < MinLength || packet.Length < headerLength) return false;
        header = new Ipv4Header(packet);
        return true;
    }
}
