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
        bool odd = (protocol != EtherTypes.IPv4 && protocol != Trailer) || protocolLength != 4 || hardwareLength == 0;
        if (odd || verbose)
        {
            AppendHardware(line, hardware).Append(" (len ").Append(hardwareLength).Append("), ");
            AppendProtocol(line, protocol).Append(" (len ").Append(protocolLength).Append(')');
            // Under -v tcpdump goes on to print addresses it cannot read; we stop here as without -v.
            if (odd)
            {
                line.Append(", length ").Append(length);
                return;
            }
            line.Append(", ");
        }
        var sha = packet.Slice(senderHardware, hardwareLength);
        var tha = packet.Slice(targetHardware, hardwareLength);
        var spa = packet.Slice(senderProtocol, 4);
        var tpa = packet.Slice(targetProtocol, 4);
        switch (operation)
        {
            case 1:
                line.Append("Request who-has ").AppendIPv4(tpa);
                if (tha.IndexOfAnyExcept((byte)0) >= 0) line.Append(" (").AppendMac(tha).Append(')');
                line.Append(" tell ").AppendIPv4(spa);
                break;
            case 2:
                line.Append("Reply ").AppendIPv4(spa).Append(" is-at ").AppendMac(sha);
                break;
            case 3:
                line.Append("Reverse Request who-is ").AppendMac(tha).Append(" tell ").AppendMac(sha);
                break;
            case 4:
                line.Append("Reverse Reply ").AppendMac(tha).Append(" at ").AppendIPv4(tpa);
                break;
            case 8:
                line.Append("Inverse Request who-is ").AppendMac(tha).Append(" tell ").AppendMac(sha);
                break;
            case 9:
                line.Append("Inverse Reply ").AppendMac(sha).Append(" at ").AppendIPv4(spa);
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
