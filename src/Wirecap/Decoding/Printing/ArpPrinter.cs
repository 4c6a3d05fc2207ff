using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>ARP and RARP as tcpdump prints them: operation and addresses for IPv4 over any hardware, the hardware
/// and protocol types (tcpdump's names) otherwise, a hex and ASCII dump for an unknown operation, <c> [|arp]</c>
/// when the addresses its header announces were not captured.</summary>
internal static class ArpPrinter
{
    private const int FixedLength = 8;
    private const ushort Trailer = 0x1000; // ETHERTYPE_TRAIL, which tcpdump reads as IPv4
    private const ushort AtmHardware = 19;
    private const int AtmFixedLength = 12;

    // keyword: start with "ARP, "; tcpdump leaves it out under -e, whose header names the type.
    /// <summary>verbose (-v): the hardware and protocol types are printed for every packet.</summary>
    public static void Print(StringBuilder line, ReadOnlySpan<byte> packet, long length, bool verbose, bool keyword = true)
    {
        if (packet.Length < FixedLength)
        {
            line.Append(" [|arp]");
            return;
        }
        ushort hardware = BinaryPrimitives.ReadUInt16BigEndian(packet);
        if (hardware == AtmHardware)
        {
            PrintAtm(line, packet, length, keyword);
            return;
        }
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        int hardwareLength = packet[4], protocolLength = packet[5];
        ushort operation = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        int senderHardware = FixedLength, senderProtocol = senderHardware + hardwareLength,
            targetHardware = senderProtocol + protocolLength, targetProtocol = targetHardware + hardwareLength;
        if (packet.Length < targetProtocol + protocolLength)
        {
            line.Append(" [|arp]");
            return;
        }
        if (keyword) line.Append("ARP, ");
        bool ipv4 = protocol is EtherTypes.IPv4 or Trailer;
        bool odd = !ipv4 || protocolLength != 4 || hardwareLength == 0;
        if (odd || verbose)
        {
            AppendHardware(line, hardware).Append(" (len ").Append(hardwareLength).Append("), ");
            AppendProtocol(line, protocol).Append(" (len ").Append(protocolLength).Append(')');
            if (!verbose)
            {
                line.Append(", length ").Append(length); // tcpdump does not know these addresses' formats
                return;
            }
            line.Append(", ");
        }
        // Under -v tcpdump goes on with the operation, each protocol address it cannot read as a marker.
        var sha = packet.Slice(senderHardware, hardwareLength);
        var tha = packet.Slice(targetHardware, hardwareLength);
        var spa = packet.Slice(senderProtocol, protocolLength);
        var tpa = packet.Slice(targetProtocol, protocolLength);
        switch (operation)
        {
            case 1:
                AppendProtocolAddress(line.Append("Request who-has "), tpa, ipv4);
                if (tha.IndexOfAnyExcept((byte)0) >= 0) AppendHardwareAddress(line.Append(" ("), tha).Append(')');
                AppendProtocolAddress(line.Append(" tell "), spa, ipv4);
                break;
            case 2:
                AppendProtocolAddress(line.Append("Reply "), spa, ipv4);
                AppendHardwareAddress(line.Append(" is-at "), sha);
                break;
            case 3:
                AppendHardwareAddress(line.Append("Reverse Request who-is "), tha);
                AppendHardwareAddress(line.Append(" tell "), sha);
                break;
            case 4:
                AppendHardwareAddress(line.Append("Reverse Reply "), tha);
                AppendProtocolAddress(line.Append(" at "), tpa, ipv4);
                break;
            case 8:
                AppendHardwareAddress(line.Append("Inverse Request who-is "), tha);
                AppendHardwareAddress(line.Append(" tell "), sha);
                break;
            case 9:
                AppendHardwareAddress(line.Append("Inverse Reply "), sha);
                AppendProtocolAddress(line.Append(" at "), spa, ipv4);
                break;
            default:
                // tcpdump names the operation (10 is "NACK Reply") and dumps the packet as captured, without a length.
                if (operation == 10) line.Append("NACK Reply ");
                else line.Append("Unknown (").Append(operation).Append(") ");
                line.AppendHexDump(packet);
                return;
        }
        line.Append(", length ").Append(length);
    }

    /// <summary>ATMARP (RFC 2225): type/length bytes for each address and subaddress, then the addresses.</summary>
    private static void PrintAtm(StringBuilder line, ReadOnlySpan<byte> packet, long length, bool keyword)
    {
        if (packet.Length < AtmFixedLength)
        {
            line.Append(" [|arp]");
            return;
        }
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        int sha = packet[4] & 0x3f, ssa = packet[5] & 0x3f, spa = packet[8], tha = packet[9] & 0x3f, tsa = packet[10] & 0x3f, tpa = packet[11];
        ushort operation = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        int senderHardware = AtmFixedLength, senderProtocol = senderHardware + sha + ssa, targetHardware = senderProtocol + spa,
            targetProtocol = targetHardware + tha + tsa;
        if (packet.Length < targetProtocol + tpa)
        {
            line.Append(" [|arp]");
            return;
        }
        if (keyword) line.Append("ARP, ");
        if ((protocol != EtherTypes.IPv4 && protocol != Trailer) || spa != 4 || tpa != 4)
        {
            AppendHardware(line, AtmHardware).Append(", ");
            AppendProtocol(line, protocol).Append(" (len ").Append(spa).Append('/').Append(tpa).Append("), length ").Append(length);
            return;
        }
        switch (operation)
        {
            case 1:
                line.Append("Request who-has ").AppendIPv4(packet.Slice(targetProtocol, 4));
                if (tha != 0) AppendAtmAddress(line.Append(" ("), packet.Slice(targetHardware, tha), packet.Slice(targetHardware + tha, tsa)).Append(')');
                line.Append(" tell ").AppendIPv4(packet.Slice(senderProtocol, 4));
                break;
            case 2:
                line.Append("Reply ").AppendIPv4(packet.Slice(senderProtocol, 4)).Append(" is-at ");
                AppendAtmAddress(line, packet.Slice(senderHardware, sha), packet.Slice(senderHardware + sha, ssa));
                break;
            default:
                line.Append("Unknown (").Append(operation).Append(") ");
                line.AppendHexDump(packet);
                return;
        }
        line.Append(", length ").Append(length);
    }

    private static StringBuilder AppendAtmAddress(StringBuilder line, ReadOnlySpan<byte> address, ReadOnlySpan<byte> subaddress)
    {
        if (address.IsEmpty) return line.Append("<No address>");
        line.AppendMac(address);
        if (!subaddress.IsEmpty) line.Append(',').AppendMac(subaddress);
        return line;
    }

    /// <summary>An IPv4 sender or target address, or tcpdump's marker for one of another protocol or length.</summary>
    private static StringBuilder AppendProtocolAddress(StringBuilder line, ReadOnlySpan<byte> address, bool ipv4) =>
        !ipv4 ? line.Append("<wrong proto type>") : address.Length != 4 ? line.Append("<wrong len>") : line.AppendIPv4(address);

    /// <summary>A hardware address as tcpdump's <c>linkaddr_string</c> prints it: bytes in hex, colon-separated.</summary>
    private static StringBuilder AppendHardwareAddress(StringBuilder line, ReadOnlySpan<byte> address) =>
        address.IsEmpty ? line.Append("<empty>") : line.AppendMac(address);

    private static StringBuilder AppendProtocol(StringBuilder line, ushort protocol) => EtherTypeNames.Find(protocol) is { } name
        ? line.Append(name)
        : line.Append("Unknown Protocol (0x").AppendHexByte((byte)(protocol >> 8)).AppendHexByte((byte)protocol).Append(')');

    private static StringBuilder AppendHardware(StringBuilder line, ushort hardware) => hardware switch
    {
        1 => line.Append("Ethernet"),
        6 => line.Append("TokenRing"),
        7 => line.Append("ArcNet"),
        15 => line.Append("FrameRelay"),
        19 => line.Append("ATM"),
        23 => line.Append("Strip"),
        24 => line.Append("IEEE 1394"),
        32 => line.Append("InfiniBand"),
        _ => line.Append("Unknown Hardware (").Append(hardware).Append(')'),
    };
}
