using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>A view over an ARP/RARP packet.</summary>
public readonly ref struct ArpPacket
{
    /// <summary>Fixed part before the addresses.</summary>
    public const int FixedLength = 8;
    private readonly ReadOnlySpan<byte> _packet;

    private ArpPacket(ReadOnlySpan<byte> packet) => _packet = packet;

    /// <summary>Hardware type (1 = Ethernet).</summary>
    public ushort HardwareType => BinaryPrimitives.ReadUInt16BigEndian(_packet);
    /// <summary>Protocol type (0x0800 = IPv4).</summary>
    public ushort ProtocolType => BinaryPrimitives.ReadUInt16BigEndian(_packet[2..]);
    /// <summary>Hardware address length.</summary>
    public int HardwareLength => _packet[4];
    /// <summary>Protocol address length.</summary>
    public int ProtocolLength => _packet[5];
    /// <summary>Operation (1 request, 2 reply, 3/4 RARP).</summary>
    public ushort Operation => BinaryPrimitives.ReadUInt16BigEndian(_packet[6..]);
    /// <summary>Sender hardware address.</summary>
    public ReadOnlySpan<byte> SenderHardwareAddress => _packet.Slice(FixedLength, HardwareLength);
    /// <summary>Sender protocol address.</summary>
    public ReadOnlySpan<byte> SenderProtocolAddress => _packet.Slice(FixedLength + HardwareLength, ProtocolLength);
    /// <summary>Target hardware address.</summary>
    public ReadOnlySpan<byte> TargetHardwareAddress => _packet.Slice(FixedLength + HardwareLength + ProtocolLength, HardwareLength);
    /// <summary>Target protocol address.</summary>
    public ReadOnlySpan<byte> TargetProtocolAddress => _packet.Slice(FixedLength + 2 * HardwareLength + ProtocolLength, ProtocolLength);

    /// <summary>Reads the packet; false when the addresses it announces were not captured.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out ArpPacket arp)
    {
        arp = default;
        if (packet.Length < FixedLength) return false;
        if (packet.Length < FixedLength + 2 * (packet[4] + packet[5])) return false;
        arp = new ArpPacket(packet);
        return true;
    }
}
