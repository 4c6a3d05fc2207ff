using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Wirecap.Bpf;

namespace Wirecap.Filter;

/// <summary>
/// The metadata a socket filter reads besides the packet bytes, for a packet of a given link type: taken from its
/// link-layer header (what a capture file holds), or from the kernel's report of a live frame. A socket filter sees
/// offset 0 at the start of the link-layer header and the network header after it, as on a <c>SOCK_RAW</c> socket;
/// what a file does not hold (mark, queue, receive hash, a VLAN tag held outside the frame) reads as 0.
/// </summary>
internal static class LinkLayerContext
{
    /// <summary>The most bytes of a link-layer header read here (the cooked v2 header).</summary>
    public const int HeaderBytes = LinuxCookedHeader.V2Length;

    private const int EthernetHeaderLength = 14;
    private const ushort HardwareEthernet = 1;   // ARPHRD_ETHER
    private const ushort HardwareNone = 0xfffe;  // ARPHRD_NONE, what Linux reports for raw IP devices (tun)

    /// <summary>From the link-layer header at the start of <paramref name="packet"/>.</summary>
    public static BpfContext From(LinkType linkType, ReadOnlySpan<byte> packet, int originalLength) =>
        From(linkType, packet, originalLength, packet.Length);

    /// <summary>From the link-layer header at the start of <paramref name="header"/>, for a packet of <paramref name="capturedLength"/> bytes.</summary>
    public static BpfContext From(LinkType linkType, ReadOnlySpan<byte> header, int originalLength, int capturedLength)
    {
        uint wireLength = (uint)Math.Max(originalLength, capturedLength);
        return linkType switch
        {
            LinkType.Ethernet => Ethernet(header, wireLength),
            LinkType.LinuxSll => new BpfContext
            {
                WireLength = wireLength,
                NetworkHeaderOffset = LinuxCookedHeader.V1Length,
                PacketType = (LinuxPacketType)UInt16(header, 0),
                HardwareType = UInt16(header, 2),
                Protocol = UInt16(header, 14),
            },
            LinkType.LinuxSll2 => new BpfContext
            {
                WireLength = wireLength,
                NetworkHeaderOffset = LinuxCookedHeader.V2Length,
                Protocol = UInt16(header, 0),
                InterfaceIndex = header.Length >= 8 ? BinaryPrimitives.ReadInt32BigEndian(header[4..]) : 0,
                HardwareType = UInt16(header, 8),
                PacketType = header.Length > 10 ? (LinuxPacketType)header[10] : LinuxPacketType.Host,
            },
            LinkType.Raw or LinkType.Ipv4 or LinkType.Ipv6 => new BpfContext
            {
                WireLength = wireLength,
                Protocol = IpVersionProtocol(header),
                HardwareType = HardwareNone,
            },
            _ => new BpfContext { WireLength = wireLength },
        };
    }

    /// <summary>From an Ethernet header: apart from <see cref="From(LinkType, ReadOnlySpan{byte}, int, int)"/> so that a
    /// filter over Ethernet frames builds only this context, inline, and not the switch's five on every packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BpfContext Ethernet(ReadOnlySpan<byte> header, uint wireLength) => new()
    {
        WireLength = wireLength,
        NetworkHeaderOffset = EthernetHeaderLength,
        Protocol = UInt16(header, 12),
        HardwareType = HardwareEthernet,
    };

    /// <summary>From the kernel's report of a live frame: the ancillary data is the kernel's, only the header layout is the link type's.</summary>
    public static BpfContext From(LinkType linkType, ReadOnlySpan<byte> packet, int originalLength, in LinuxPacketMetadata metadata) => new()
    {
        WireLength = (uint)Math.Max(originalLength, packet.Length),
        NetworkHeaderOffset = linkType switch
        {
            LinkType.Ethernet => EthernetHeaderLength,
            LinkType.LinuxSll => LinuxCookedHeader.V1Length,
            LinkType.LinuxSll2 => LinuxCookedHeader.V2Length,
            _ => 0,
        },
        Protocol = metadata.Protocol,
        PacketType = metadata.PacketType,
        InterfaceIndex = metadata.InterfaceIndex,
        HardwareType = metadata.HardwareType,
        ReceiveHash = metadata.ReceiveHash,
        Mark = metadata.Mark,
        VlanTagPresent = metadata.HasVlan,
        VlanTci = metadata.HasVlan ? metadata.VlanTci : (ushort)0,
        VlanTpid = metadata.HasVlan ? metadata.VlanTpid : (ushort)0,
    };

    private static ushort UInt16(ReadOnlySpan<byte> header, int offset) =>
        header.Length >= offset + 2 ? BinaryPrimitives.ReadUInt16BigEndian(header[offset..]) : (ushort)0;

    private static ushort IpVersionProtocol(ReadOnlySpan<byte> header) =>
        header.IsEmpty ? (ushort)0 : (header[0] >> 4) switch { 4 => EtherTypes.IPv4, 6 => EtherTypes.IPv6, _ => (ushort)0 };
}
