using System.Buffers.Binary;
using System.Text;
using Wirecap.Formats;

namespace Wirecap.Decoding;

/// <summary>
/// tcpdump's text for a link-level header: what <c>-e</c> prints before the network layer, and what tcpdump
/// prints anyway when it cannot decode the payload. Ethernet (with its VLAN tags), BSD loopback, Linux cooked
/// v1 and v2, and RAW.
/// </summary>
internal static class LinkHeaderPrinter
{
    /// <summary>Appends the header text; false for a link type with no header text (then nothing is appended).</summary>
    public static bool Print(StringBuilder line, LinkType linkType, ReadOnlySpan<byte> frame, long originalLength, bool quiet)
    {
        switch (linkType)
        {
            case LinkType.Ethernet when EthernetHeader.TryParse(frame, out var ethernet):
                PrintEthernet(line, frame, ethernet, originalLength, quiet);
                return true;
            case LinkType.Null or LinkType.Loop when LoopbackHeader.TryReadFamily(frame, linkType == LinkType.Loop, out uint family):
                string name = family switch { 2 => "IPv4", 7 => "ISO", 16 => "Appletalk", 23 => "IPX", 24 or 28 or 30 => "IPv6", _ => "Unknown" };
                if (quiet) line.Append(name);
                else line.Append("AF ").Append(name).Append(" (").Append(family).Append(')');
                line.Append(", length ").Append(originalLength).Append(": ");
                return true;
            case LinkType.LinuxSll when LinuxSllHeader.TryParse(frame, out var sll):
                line.Append(' ', 3 - PacketTypeName(sll.PacketType).Length).Append(PacketTypeName(sll.PacketType)).Append(' ');
                PrintCooked(line, sll.AddressLength, sll.Address, sll.Protocol, originalLength, quiet);
                return true;
            case LinkType.LinuxSll2 when LinuxSll2Header.TryParse(frame, out var sll2):
                // The interface name and packet type come first, -e or not (see PacketPrinter).
                line.Append("ifindex ").Append(sll2.InterfaceIndex).Append(' ');
                PrintCooked(line, sll2.AddressLength, sll2.Address, sll2.Protocol, originalLength, quiet);
                return true;
            case LinkType.Raw:
                line.Append("ip: ");
                return true;
            default:
                return false;
        }
    }

    /// <summary>tcpdump's names of the Linux packet types (a cooked header's direction column).</summary>
    public static string PacketTypeName(LinuxPacketType type) => type switch
    {
        LinuxPacketType.Host => "In",
        LinuxPacketType.Broadcast => "B",
        LinuxPacketType.Multicast => "M",
        LinuxPacketType.OtherHost => "P",
        LinuxPacketType.Outgoing => "Out",
        _ => "?",
    };

    private static void PrintEthernet(StringBuilder line, ReadOnlySpan<byte> frame, in EthernetHeader ethernet, long originalLength, bool quiet)
    {
        line.AppendMac(ethernet.Source).Append(" > ").AppendMac(ethernet.Destination).Append(", ");
        AppendEtherType(line, BinaryPrimitives.ReadUInt16BigEndian(frame[12..]), quiet);
        line.Append(", length ").Append(originalLength).Append(": ");
        for (int tag = 0; tag < ethernet.TagCount; tag++)
        {
            ushort control = ethernet.TagControl(tag);
            line.Append("vlan ").Append(control & 0x0fff).Append(", p ").Append(control >> 13);
            if ((control & 0x1000) != 0) line.Append(", DEI");
            line.Append(", ");
            int next = EthernetHeader.BaseLength + (tag + 1) * EthernetHeader.TagLength - 2;
            AppendEtherType(line, BinaryPrimitives.ReadUInt16BigEndian(frame[next..]), quiet);
            line.Append(", ");
        }
    }

    private static void PrintCooked(StringBuilder line, int addressLength, ReadOnlySpan<byte> address, ushort protocol, long originalLength, bool quiet)
    {
        if (addressLength == 6) line.AppendMac(address).Append(' ');
        if (quiet) return;
        // Linux's pseudo-protocols for frames without an EtherType.
        if (protocol == 1) line.Append("802.3");
        else if (protocol == 4) line.Append("802.2");
        else AppendNamedType(line, protocol);
        line.Append(", length ").Append(originalLength).Append(": ");
    }

    /// <summary>Values up to 1500 in an Ethernet type field are 802.3 lengths, not EtherTypes.</summary>
    private const ushort MaxLengthField = 1500;

    private static void AppendEtherType(StringBuilder line, ushort type, bool quiet)
    {
        if (type <= MaxLengthField) line.Append("802.3");
        else if (!quiet) AppendNamedType(line, type);
        else if (EtherTypeNames.Find(type) is { } name) line.Append(name);
        else line.Append("Unknown Ethertype (0x").AppendHexByte((byte)(type >> 8)).AppendHexByte((byte)type).Append(')');
    }

    private static void AppendNamedType(StringBuilder line, ushort type) =>
        line.Append("ethertype ").Append(EtherTypeNames.Find(type) ?? "Unknown").Append(" (0x").AppendHexByte((byte)(type >> 8)).AppendHexByte((byte)type).Append(')');
}
