using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>
/// The IPv6 extension headers as tcpdump prints them without -v: <c>HBH </c> (checking its options and finding a
/// Jumbo Payload), <c>DSTOPT </c>, <c>frag (offset|length) </c> and <c>RT6 (len=…, type=…, segleft=…, [0]addr…) </c>.
/// Each returns the header's length, or -1 when the line ends there (a mark such as <c> [|hbhopt]</c> appended).
/// </summary>
internal static class Ipv6OptionsPrinter
{
    private const byte Pad1 = 0, PadN = 1, RouterAlert = 5, Jumbo = 0xc2, HomeAddress = 0xc9;

    public static int HopByHop(StringBuilder line, ReadOnlySpan<byte> packet, int at, ref bool foundJumbo, ref uint payloadLength, bool verbose)
    {
        if (at + 1 >= packet.Length) return Truncated(line, "hbhopt");
        int length = (packet[at + 1] + 1) << 3;
        if (at + length > packet.Length) return Truncated(line, "hbhopt");
        line.Append("HBH ");
        if (!Options(line, packet.Slice(at + 2, length - 2), hopByHop: true, ref foundJumbo, ref payloadLength, verbose)) return Truncated(line, "hbhopt");
        return length;
    }

    public static int DestinationOptions(StringBuilder line, ReadOnlySpan<byte> packet, int at, bool verbose)
    {
        if (at + 1 >= packet.Length) return Truncated(line, "dstopt");
        int length = (packet[at + 1] + 1) << 3;
        if (at + length > packet.Length) return Truncated(line, "dstopt");
        line.Append("DSTOPT ");
        bool jumbo = false;
        uint ignored = 0;
        // Without -v tcpdump does not look into destination options; with it, it prints them as hop-by-hop ones.
        if (verbose && !Options(line, packet.Slice(at + 2, length - 2), hopByHop: false, ref jumbo, ref ignored, verbose)) return Truncated(line, "dstopt");
        return length;
    }

    /// <summary><c>frag (offset|length)</c>, the length being what the IPv6 payload length leaves after this header
    /// (printed unsigned, as tcpdump's size_t, when the header lies about it); a later fragment ends the line.</summary>
    public static int Fragment(StringBuilder line, ReadOnlySpan<byte> packet, int at, ushort ipPayloadLength, bool verbose)
    {
        if (at + (verbose ? 8 : 4) > packet.Length) return Truncated(line, "frag6");
        int offset = BinaryPrimitives.ReadUInt16BigEndian(packet[(at + 2)..]) & 0xfff8;
        ulong rest = unchecked(40UL + ipPayloadLength - (ulong)at - 8UL);
        line.Append("frag (");
        if (verbose) line.Append("0x").AppendHex8(BinaryPrimitives.ReadUInt32BigEndian(packet[(at + 4)..])).Append(':'); // -v: the identification
        line.Append(offset).Append('|').Append(rest).Append(')');
        if (offset != 0) return -1;
        line.Append(' ');
        return 8;
    }

    public static int Routing(StringBuilder line, ReadOnlySpan<byte> packet, int at, bool verbose)
    {
        line.Append("RT6");
        if (at + 1 >= packet.Length) return Truncated(line, "rt6");
        int length = packet[at + 1];
        line.Append(" (len=").Append(length);
        if (at + 2 >= packet.Length) return Truncated(line, "rt6");
        int type = packet[at + 2];
        line.Append(", type=").Append(type);
        if (type == 0) line.Append(" [Deprecated]");
        if (at + 3 >= packet.Length) return Truncated(line, "rt6");
        line.Append(", segleft=").Append(packet[at + 3]);
        int addresses;
        switch (type)
        {
            case 0 or 2:
                if (at + 8 > packet.Length) return Truncated(line, "rt6");
                uint reserved = BinaryPrimitives.ReadUInt32BigEndian(packet[(at + 4)..]);
                if (reserved != 0 || verbose) line.Append(", rsv=0x").AppendHex((int)reserved);
                addresses = at + 8;
                break;
            case 4:
                if (at + 5 > packet.Length) return Truncated(line, "rt6");
                line.Append(", last-entry=").Append(packet[at + 4]);
                if (at + 6 > packet.Length) return Truncated(line, "rt6");
                if (packet[at + 5] != 0 || verbose) line.Append(", flags=0x").AppendHex(packet[at + 5]);
                if (at + 8 > packet.Length) return Truncated(line, "rt6");
                line.Append(", tag=").AppendHex(BinaryPrimitives.ReadUInt16BigEndian(packet[(at + 6)..]));
                addresses = at + 8;
                break;
            default:
                line.Append(" (unknown type) (invalid)");
                return -1;
        }
        if (length % 2 == 1)
        {
            line.Append(" (invalid length ").Append(length).Append(") (invalid)");
            return -1;
        }
        for (int i = 0; i < length / 2; i++)
        {
            if (addresses + 16 * (i + 1) > packet.Length) return Truncated(line, "rt6");
            line.Append(", [").Append(i).Append(']').AppendIPv6(packet.Slice(addresses + 16 * i, 16));
        }
        line.Append(") ");
        return (length + 1) << 3;
    }

    /// <summary>tcpdump's <c>ip6_finddst</c>: the packet's final destination per a routing header (the last address of
    /// type 0 and 2, the first segment of a segment routing header), or nothing.</summary>
    public static ReadOnlySpan<byte> FinalDestination(ReadOnlySpan<byte> header)
    {
        if (header.Length < 8) return default;
        int addresses = header[1] / 2;
        if (addresses == 0 || header.Length < 8 + 16 * addresses) return default;
        return header[2] switch
        {
            0 or 2 => header.Slice(8 + 16 * (addresses - 1), 16),
            4 => header.Slice(8, 16),
            _ => default,
        };
    }

    /// <summary>tcpdump's option walk: without -v silent unless an option is cut or malformed, with -v each option
    /// named (<c>(padn)(rtalert: 0x0000) </c>) and a space after them; false ends the header.</summary>
    private static bool Options(StringBuilder line, ReadOnlySpan<byte> options, bool hopByHop, ref bool foundJumbo, ref uint payloadLength, bool verbose)
    {
        bool seenJumbo = false;
        for (int i = 0, length; i < options.Length; i += length)
        {
            byte type = options[i];
            if (type == Pad1) length = 1;
            else if (i + 1 < options.Length) length = options[i + 1] + 2;
            else return false;
            if (i + length > options.Length) return false;
            if (type != Pad1 && Malformed(line, type, options.Length - i, options[i + 1])) return false;
            if (verbose) AppendOption(line, options.Slice(i, length), type == Jumbo && seenJumbo);
            if (type != Jumbo || seenJumbo) continue;
            seenJumbo = true;
            uint jumboLength = BinaryPrimitives.ReadUInt32BigEndian(options[(i + 2)..]);
            if (hopByHop && payloadLength == 0 && jumboLength >= 65536)
            {
                foundJumbo = true;
                payloadLength = jumboLength;
            }
        }
        if (verbose) line.Append(' ');
        return true;
    }

    private static void AppendOption(StringBuilder line, ReadOnlySpan<byte> option, bool secondJumbo)
    {
        switch (option[0])
        {
            case Pad1: line.Append("(pad1)"); break;
            case PadN: line.Append("(padn)"); break;
            case RouterAlert: line.Append("(rtalert: 0x").AppendHexDigits(BinaryPrimitives.ReadUInt16BigEndian(option[2..]), 4).Append(") "); break;
            case Jumbo:
                line.Append("(jumbo: ").Append(BinaryPrimitives.ReadUInt32BigEndian(option[2..])).Append(secondJumbo ? " - already seen) " : ") ");
                break;
            case HomeAddress: line.Append("(homeaddr: ").AppendIPv6(option.Slice(2, 16)).Append(')'); break;
            default: line.Append("(opt_type 0x").AppendHexByte(option[0]).Append(": len=").Append(option[1]).Append(')'); break;
        }
    }

    /// <summary>tcpdump's checks of an option's room (<paramref name="left"/> bytes from its start) and declared
    /// length: true, with its message appended, when the option is cut or has the wrong length.</summary>
    private static bool Malformed(StringBuilder line, byte type, int left, int declared)
    {
        var (name, minimum, exact, atLeast) = type switch
        {
            PadN => ("padn", 2, -1, 0),
            RouterAlert => ("rtalert", 4, 2, 0),
            Jumbo => ("jumbo", 6, 4, 0),
            HomeAddress => ("homeaddr", 18, -1, 16),
            _ => (null, 2, -1, 0),
        };
        if (left < minimum)
        {
            if (name is null) line.Append("(type ").Append(type).Append(": trunc)");
            else line.Append('(').Append(name).Append(": trunc)");
            return true;
        }
        if ((exact >= 0 && declared != exact) || declared < atLeast)
        {
            line.Append('(').Append(name).Append(": invalid len ").Append(declared).Append(')');
            return true;
        }
        return false;
    }

    private static int Truncated(StringBuilder line, string protocol)
    {
        line.Append(" [|").Append(protocol).Append(']');
        return -1;
    }
}
