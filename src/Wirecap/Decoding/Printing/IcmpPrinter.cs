using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>ICMP and ICMPv6 as tcpdump 4.99 prints them without -v. Every field tcpdump reads must have been
/// captured; where one was not, the line ends with its <c> [|icmp]</c> (or <c> [|icmp6]</c>) mark.</summary>
internal static class IcmpPrinter
{
    public static void PrintV4(StringBuilder line, in IpPacket ip, TcpSequenceTracker tcp, PacketPrinterOptions options)
    {
        var icmp = ip.Payload;
        int start = line.Length;
        if (!TryAppendV4(line, icmp))
        {
            line.Length = start; // tcpdump builds the text first and prints nothing of it when a field is missing
            line.Append(" [|icmp]");
            return;
        }
        line.Append(", length ").Append(ip.PayloadLength);
        if (options.Verbosity > 0) AppendVerboseV4(line, ip, tcp, options);
    }

    /// <summary>-v: a wrong checksum, and the packet an error quotes, printed as any IPv4 packet on a new line.</summary>
    private static void AppendVerboseV4(StringBuilder line, in IpPacket ip, TcpSequenceTracker tcp, PacketPrinterOptions options)
    {
        var icmp = ip.Payload;
        if (!ip.IsFragment && icmp.Length >= ip.PayloadLength) // -K does not apply to ICMP in tcpdump 4.99 either
        {
            ushort computed = InternetChecksum.Compute(icmp[..ip.PayloadLength]);
            if (computed != 0)
            {
                if (icmp.Length < 4)
                {
                    line.Append(" [|icmp]"); // a message too short to hold the checksum it is compared with
                    return;
                }
                ushort stored = Word(icmp, 2);
                line.Append(" (wrong icmp cksum ").AppendHex(stored).Append(" (->").AppendHex(Checksums.ShouldBe(stored, computed)).Append(")!)");
            }
        }
        if (icmp[0] is not (3 or 4 or 5 or 11 or 12)) return;
        line.Append("\n\t");
        if (icmp.Length < 12)
        {
            line.Append(" [|icmp]");
            return;
        }
        IpPrinter.Print(line, EtherTypes.IPv4, icmp[8..], Word(icmp, 10), tcp, options, keyword: !options.LinkLevelHeader);
        if (IcmpExtensionPrinter.AppliesTo(icmp[0], ip.PayloadLength)) IcmpExtensionPrinter.Append(line, icmp, ip.PayloadLength);
    }

    private static bool TryAppendV4(StringBuilder line, ReadOnlySpan<byte> icmp)
    {
        if (icmp.Length < 2) return false;
        byte type = icmp[0], code = icmp[1];
        line.Append("ICMP ");
        switch (type)
        {
            case 0 or 8:
                if (icmp.Length < 8) return false;
                line.Append(type == 8 ? "echo request" : "echo reply").Append(", id ").Append(Word(icmp, 4)).Append(", seq ").Append(Word(icmp, 6));
                return true;
            case 3:
                return Unreachable(line, icmp, code);
            case 5:
                if (icmp.Length < 28) return false;
                line.Append(code switch { 0 => "redirect ", 1 => "redirect ", 2 => "redirect-tos ", 3 => "redirect-tos ", _ => "redirect-#" });
                if (code > 3) line.Append(code).Append(' ');
                line.AppendIPv4(icmp.Slice(24, 4)).Append(code switch { 0 or 2 => " to net ", 1 or 3 => " to host ", _ => " to " }).AppendIPv4(icmp.Slice(4, 4));
                return true;
            case 9:
                return RouterAdvertisement(line, icmp);
            case 11:
                if (icmp.Length < 28) return false;
                if (code == 0) line.Append("time exceeded in-transit");
                else if (code == 1) line.Append("ip reassembly time exceeded");
                else line.Append("time exceeded-#").Append(code);
                return true;
            case 12:
                if (code != 0) line.Append("parameter problem - code ").Append(code);
                else if (icmp.Length < 5) return false;
                else line.Append("parameter problem - octet ").Append(icmp[4]);
                return true;
            case 18:
                if (icmp.Length < 12) return false;
                line.Append("address mask is 0x").AppendHex8(BinaryPrimitives.ReadUInt32BigEndian(icmp[8..]));
                return true;
            case 13:
                if (icmp.Length < 8) return false;
                line.Append("time stamp query id ").Append(Word(icmp, 4)).Append(" seq ").Append(Word(icmp, 6));
                return true;
            case 14:
                if (icmp.Length < 20) return false;
                line.Append("time stamp reply id ").Append(Word(icmp, 4)).Append(" seq ").Append(Word(icmp, 6)).Append(": org ");
                AppendTimestamp(line, icmp, 8).Append(", recv ");
                AppendTimestamp(line, icmp, 12).Append(", xmit ");
                AppendTimestamp(line, icmp, 16);
                return true;
            default:
                line.Append(type switch
                {
                    4 => "source quench", 10 => "router solicitation", 15 => "information request", 16 => "information reply",
                    17 => "address mask request", _ => null,
                });
                if (type is not (4 or 10 or 15 or 16 or 17)) line.Append("type-#").Append(type);
                return true;
        }
    }

    private static bool Unreachable(StringBuilder line, ReadOnlySpan<byte> icmp, byte code)
    {
        const int QuotedDestination = 24, QuotedProtocol = 17;
        if (code == 3)
        {
            if (icmp.Length <= QuotedProtocol) return false;
            int headerLength = (icmp[8] & 0xf) * 4;
            if (icmp.Length < 8 + headerLength + 4 || icmp.Length < QuotedDestination + 4) return false;
            ushort port = Word(icmp, 8 + headerLength + 2);
            line.AppendIPv4(icmp.Slice(QuotedDestination, 4));
            switch (icmp[QuotedProtocol])
            {
                case IpProtocols.Tcp: line.Append(" tcp port ").Append(port).Append(" unreachable"); break;
                case IpProtocols.Udp: line.Append(" udp port ").Append(port).Append(" unreachable"); break;
                default: line.Append(" protocol ").Append(icmp[QuotedProtocol]).Append(" port ").Append(port).Append(" unreachable"); break;
            }
            return true;
        }
        if (code == 4)
        {
            if (icmp.Length < 8) return false;
            ushort mtu = Word(icmp, 6);
            if (icmp.Length < QuotedDestination + 4) return false;
            line.AppendIPv4(icmp.Slice(QuotedDestination, 4)).Append(" unreachable - need to frag");
            if (mtu != 0) line.Append(" (mtu ").Append(mtu).Append(')');
            return true;
        }
        if (icmp.Length < QuotedDestination + 4) return false;
        var destination = icmp.Slice(QuotedDestination, 4);
        (string prefix, string suffix) = code switch
        {
            0 => ("net ", " unreachable"),
            1 => ("host ", " unreachable"),
            5 => ("", " unreachable - source route failed"),
            6 => ("net ", " unreachable - unknown"),
            7 => ("host ", " unreachable - unknown"),
            8 => ("", " unreachable - source host isolated"),
            9 => ("net ", " unreachable - admin prohibited"),
            10 => ("host ", " unreachable - admin prohibited"),
            11 => ("net ", " unreachable - tos prohibited"),
            12 => ("host ", " unreachable - tos prohibited"),
            13 => ("host ", " unreachable - admin prohibited filter"),
            14 => ("host ", " unreachable - host precedence violation"),
            15 => ("host ", " unreachable - precedence cutoff"),
            _ => ("", " unreachable - #"),
        };
        if (code == 2)
        {
            line.AppendIPv4(destination).Append(" protocol ").Append(icmp[QuotedProtocol]).Append(" unreachable");
            return true;
        }
        line.Append(prefix).AppendIPv4(destination).Append(suffix);
        if (code > 15) line.Append(code);
        return true;
    }

    private static bool RouterAdvertisement(StringBuilder line, ReadOnlySpan<byte> icmp)
    {
        if (icmp.Length < 8) return false;
        int count = icmp[4], size = icmp[5], lifetime = Word(icmp, 6);
        line.Append("router advertisement lifetime ");
        if (lifetime < 60) line.Append(lifetime);
        else if (lifetime < 3600) line.Append(lifetime / 60).Append(':').Append2(lifetime % 60);
        else line.Append(lifetime / 3600).Append(':').Append2(lifetime % 3600 / 60).Append(':').Append2(lifetime % 60);
        line.Append(' ').Append(count).Append(':');
        if (size != 2)
        {
            line.Append(" [size ").Append(size).Append(']');
            return true;
        }
        for (int i = 0, at = 8; i < count; i++, at += 8)
        {
            if (icmp.Length < at + 8) return false;
            line.Append(" {").AppendIPv4(icmp.Slice(at, 4)).Append(' ').Append(BinaryPrimitives.ReadUInt32BigEndian(icmp[(at + 4)..])).Append('}');
        }
        return true;
    }

    private static StringBuilder AppendTimestamp(StringBuilder line, ReadOnlySpan<byte> icmp, int at)
    {
        uint milliseconds = BinaryPrimitives.ReadUInt32BigEndian(icmp[at..]);
        uint seconds = milliseconds / 1000, minutes = seconds / 60, hours = minutes / 60;
        line.Append2((int)Math.Min(hours, 99)).Append(':').Append2((int)(minutes % 60)).Append(':').Append2((int)(seconds % 60)).Append('.');
        return line.AppendPadded(milliseconds % 1000, 3);
    }

    public static void PrintV6(StringBuilder line, in IpPacket ip, PacketPrinterOptions options)
    {
        var icmp = ip.Payload;
        int length = ip.PayloadLength;
        if (length == 0)
        {
            line.Append("ICMP6, length 0 (invalid)");
            return;
        }
        if (icmp.IsEmpty)
        {
            line.Append(" [|icmp6]");
            return;
        }
        byte type = icmp[0];
        bool verbose = options.Verbosity > 0;
        if (verbose && !ip.IsFragment && icmp.Length >= length && length >= 4) Icmpv6VerbosePrinter.AppendChecksum(line, ip, icmp[..length]);
        line.Append("ICMP6, ");
        if (Icmpv6Names.Type(type) is { } name) line.Append(name);
        else line.Append("unknown icmp6 type (").Append(type).Append(')');
        if (verbose && type is 133 or 134 or 135 or 136 or 137 or 145 or 147) line.Append(", length ").Append(length);
        if (icmp.Length < 2)
        {
            line.Append(" [|icmp6]");
            return;
        }
        var result = verbose && type is 128 or 129 or 133 or 134 or 135 or 136 or 145 or 147
            ? Icmpv6VerbosePrinter.Body(line, icmp, type, length, options.Verbosity)
            : Icmpv6Body(line, icmp, type, icmp[1], length, options.Verbosity);
        if (verbose && result == Icmpv6Result.Printed) return; // -v leaves the length out, or has printed it after the type
        switch (result)
        {
            case Icmpv6Result.Truncated:
                line.Append(" [|icmp6]");
                return;
            case Icmpv6Result.Dumped:
                return;
        }
        line.Append(", length ").Append(length);
    }

    internal enum Icmpv6Result { Printed, Truncated, Dumped }

    private static Icmpv6Result Icmpv6Body(StringBuilder line, ReadOnlySpan<byte> icmp, byte type, byte code, int length, int verbosity)
    {
        const int Quoted = 8;
        switch (type)
        {
            case 1:
                line.Append(", ").Append(code switch
                {
                    0 => "unreachable route", 1 => " unreachable prohibited", 2 => "beyond scope", 3 => "unreachable address",
                    4 => "unreachable port", _ => null,
                });
                if (code > 4) line.Append("unknown unreach code (").Append(code).Append(')');
                switch (code)
                {
                    case 0 or 1 or 3:
                        if (icmp.Length < Quoted + 40) return Icmpv6Result.Truncated;
                        line.Append(' ').AppendIPv6(icmp.Slice(Quoted + 24, 16));
                        return Icmpv6Result.Printed;
                    case 2:
                        if (icmp.Length < Quoted + 40) return Icmpv6Result.Truncated;
                        line.Append(' ').AppendIPv6(icmp.Slice(Quoted + 24, 16)).Append(", source address ").AppendIPv6(icmp.Slice(Quoted + 8, 16));
                        return Icmpv6Result.Printed;
                    case 4:
                        int upper = UpperLayer(icmp[Quoted..], out byte protocol);
                        if (upper < 0 || icmp.Length < Quoted + upper + 4) return Icmpv6Result.Truncated;
                        ushort port = Word(icmp, Quoted + upper + 2);
                        line.Append(", ").AppendIPv6(icmp.Slice(Quoted + 24, 16));
                        if (protocol == IpProtocols.Tcp) line.Append(" tcp port ").Append(port);
                        else if (protocol == IpProtocols.Udp) line.Append(" udp port ").Append(port);
                        else line.Append(" protocol ").Append(protocol).Append(" port ").Append(port).Append(" unreachable");
                        return Icmpv6Result.Printed;
                    default:
                        Dump(line, icmp, length);
                        return Icmpv6Result.Dumped;
                }
            case 2:
                if (icmp.Length < 8) return Icmpv6Result.Truncated;
                line.Append(", mtu ").Append(BinaryPrimitives.ReadUInt32BigEndian(icmp[4..]));
                return Icmpv6Result.Printed;
            case 3:
                if (code == 0)
                {
                    if (icmp.Length < Quoted + 40) return Icmpv6Result.Truncated;
                    line.Append(" for ").AppendIPv6(icmp.Slice(Quoted + 24, 16));
                }
                else if (code == 1) line.Append(" (reassembly)");
                else line.Append(", unknown code (").Append(code).Append(')');
                return Icmpv6Result.Printed;
            case 4:
                if (icmp.Length < Quoted + 40) return Icmpv6Result.Truncated;
                uint pointer = BinaryPrimitives.ReadUInt32BigEndian(icmp[4..]);
                if (code <= 3)
                    line.Append(code switch { 0 => ", erroneous - octet ", 1 => ", next header - octet ", 2 => ", option - octet ", _ => ", incomplete header chain - octet " })
                        .Append(pointer);
                else line.Append(", code-#").Append(code);
                return Icmpv6Result.Printed;
            case 128 or 129:
                if (icmp.Length < 8) return Icmpv6Result.Truncated;
                line.Append(", id ").Append(Word(icmp, 4)).Append(", seq ").Append(Word(icmp, 6));
                return Icmpv6Result.Printed;
            case 130:
                if (length == 24) ListenerV1(line, icmp);
                else if (length >= 28)
                {
                    line.Append(" v2");
                    return ListenerQueryV2(line, icmp, length, verbosity);
                }
                else line.Append(" unknown-version (len ").Append(length).Append(") ");
                return Icmpv6Result.Printed;
            case 131 or 132:
                ListenerV1(line, icmp);
                return Icmpv6Result.Printed;
            case 135 or 136:
                if (icmp.Length < 24) return Icmpv6Result.Truncated;
                line.Append(type == 135 ? ", who has " : ", tgt is ").AppendIPv6(icmp.Slice(8, 16));
                return Icmpv6Result.Printed;
            case 137:
                if (icmp.Length < 24) return Icmpv6Result.Truncated;
                line.Append(", ").AppendIPv6(icmp.Slice(24, 16));
                if (icmp.Length < 40) return Icmpv6Result.Truncated;
                line.Append(" to ").AppendIPv6(icmp.Slice(8, 16));
                return Icmpv6Result.Printed;
            case 143:
                return ListenerReportV2(line, icmp, length, verbosity);
            case 144 or 146:
                if (icmp.Length < 6) return Icmpv6Result.Truncated;
                line.Append(", id 0x").AppendHexByte(icmp[4]).AppendHexByte(icmp[5]);
                return Icmpv6Result.Printed;
            case 138:
                return Icmpv6RouterRenumberingPrinter.Print(line, icmp, verbosity);
            case 139 or 140:
                return Icmpv6NodeInformationPrinter.Print(line, icmp, type, length, verbosity);
            case 133 or 134 or 141 or 142 or 145 or 147:
                return Icmpv6Result.Printed; // tcpdump prints their details under -v only
            default:
                if (type == 155 || Icmpv6Names.Type(type) is not null) return Icmpv6Result.Printed;
                line.Append(", length ").Append(length);
                Dump(line, icmp, length);
                return Icmpv6Result.Dumped;
        }
    }

    private static void ListenerV1(StringBuilder line, ReadOnlySpan<byte> icmp)
    {
        if (icmp.Length < 24) return;
        line.Append("max resp delay: ").Append(Word(icmp, 4)).Append(" addr: ").AppendIPv6(icmp.Slice(8, 16));
    }

    /// <summary>An MLDv2 query: -v adds the maximum response delay, the S flag, robustness and query interval; -vv lists
    /// the sources instead of counting them.</summary>
    private static Icmpv6Result ListenerQueryV2(StringBuilder line, ReadOnlySpan<byte> icmp, int length, int verbosity)
    {
        if (verbosity > 0)
        {
            if (icmp.Length < 6) return Icmpv6Result.Truncated;
            int code = Word(icmp, 4);
            line.Append(" [max resp delay=").Append(code < 32768 ? code : ((code & 0x0fff) | 0x1000) << (((code & 0x7000) >> 12) + 3)).Append(']');
        }
        if (icmp.Length < 24) return Icmpv6Result.Truncated;
        line.Append(" [gaddr ").AppendIPv6(icmp.Slice(8, 16));
        if (verbosity > 0)
        {
            if (icmp.Length < 26) return Icmpv6Result.Truncated;
            if ((icmp[24] & 0x08) != 0) line.Append(" sflag");
            if ((icmp[24] & 0x07) != 0) line.Append(" robustness=").Append(icmp[24] & 0x07);
            int qqic = icmp[25];
            line.Append(" qqi=").Append(qqic < 128 ? qqic : ((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3));
        }
        if (icmp.Length < 28) return Icmpv6Result.Truncated;
        int sources = Word(icmp, 26);
        if (sources > 0)
        {
            if (length < 28 + sources * 16) line.Append(" [invalid number of sources]");
            else if (verbosity > 1)
            {
                line.Append(" {");
                for (int i = 0; i < sources; i++)
                {
                    if (icmp.Length < 28 + (i + 1) * 16) return Icmpv6Result.Truncated;
                    line.Append(' ').AppendIPv6(icmp.Slice(28 + i * 16, 16));
                }
                line.Append(" }");
            }
            else line.Append(", ").Append(sources).Append(" source(s)");
        }
        line.Append(']');
        return Icmpv6Result.Printed;
    }

    /// <summary>An MLDv2 report: the number of group records; -v prints each record's group, type and number of
    /// sources, -vv the sources themselves.</summary>
    private static Icmpv6Result ListenerReportV2(StringBuilder line, ReadOnlySpan<byte> icmp, int length, int verbosity)
    {
        if (length < 8)
        {
            line.Append(" [invalid len ").Append(length).Append(']');
            return Icmpv6Result.Printed;
        }
        if (icmp.Length < 8) return Icmpv6Result.Truncated;
        int groups = Word(icmp, 6);
        line.Append(", ").Append(groups).Append(" group record(s)");
        if (verbosity == 0) return Icmpv6Result.Printed;
        for (int i = 0, at = 8; i < groups; i++)
        {
            if (length < at + 20)
            {
                line.Append(" [invalid number of groups]");
                return Icmpv6Result.Printed;
            }
            if (icmp.Length < at + 20) return Icmpv6Result.Truncated;
            line.Append(" [gaddr ").AppendIPv6(icmp.Slice(at + 4, 16)).Append(' ');
            byte type = icmp[at];
            if (type is >= 1 and <= 6) line.Append(type switch { 1 => "is_in", 2 => "is_ex", 3 => "to_in", 4 => "to_ex", 5 => "allow", _ => "block" });
            else line.Append(" [v2-report-#").Append(type).Append(']');
            int sources = Word(icmp, at + 2);
            if (length < at + 20 + sources * 16)
            {
                line.Append(" [invalid number of sources ").Append(sources).Append(']');
                return Icmpv6Result.Printed;
            }
            if (verbosity == 1) line.Append(", ").Append(sources).Append(" source(s)");
            else
            {
                line.Append(" {");
                for (int j = 0; j < sources; j++)
                {
                    if (icmp.Length < at + 20 + (j + 1) * 16) return Icmpv6Result.Truncated;
                    line.Append(' ').AppendIPv6(icmp.Slice(at + 20 + j * 16, 16));
                }
                line.Append(" }");
            }
            at += 20 + sources * 16;
            line.Append(']');
        }
        return Icmpv6Result.Printed;
    }

    /// <summary>The offset of the transport header in a quoted IPv6 packet, past its extension headers; -1 when not captured.</summary>
    private static int UpperLayer(ReadOnlySpan<byte> quoted, out byte protocol)
    {
        protocol = 0;
        if (quoted.Length < 40) return -1;
        byte next = quoted[6];
        int at = 40;
        while (true)
        {
            switch (next)
            {
                case IpProtocols.HopByHop or IpProtocols.DestinationOptions or IpProtocols.Routing:
                    if (quoted.Length < at + 2) return -1;
                    next = quoted[at];
                    at += (quoted[at + 1] + 1) << 3;
                    break;
                case IpProtocols.Fragment:
                    if (quoted.Length < at + 4) return -1;
                    if ((Word(quoted, at + 2) & 0xfff8) != 0) return -1;
                    next = quoted[at];
                    at += 8;
                    break;
                case IpProtocols.AuthenticationHeader:
                    if (quoted.Length < at + 2) return -1;
                    next = quoted[at];
                    at += (quoted[at + 1] + 2) << 2;
                    break;
                default:
                    protocol = next;
                    return at;
            }
        }
    }

    /// <summary>tcpdump's <c>print_unknown_data</c>: the message in hex, as far as captured.</summary>
    private static void Dump(StringBuilder line, ReadOnlySpan<byte> icmp, int length) =>
        line.AppendHexDump(icmp[..Math.Min(icmp.Length, Math.Max(0, length))], ascii: false);

    private static ushort Word(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
}

/// <summary>tcpdump's names of the ICMPv6 types (the first of its table where two share a number).</summary>
internal static class Icmpv6Names
{
    public static string? Type(byte type) => type switch
    {
        1 => "destination unreachable",
        2 => "packet too big",
        3 => "time exceeded in-transit",
        4 => "parameter problem",
        128 => "echo request",
        129 => "echo reply",
        130 => "multicast listener query",
        131 => "multicast listener report",
        132 => "multicast listener done",
        133 => "router solicitation",
        134 => "router advertisement",
        135 => "neighbor solicitation",
        136 => "neighbor advertisement",
        137 => "redirect",
        138 => "router renumbering",
        139 => "who-are-you request",
        140 => "who-are-you reply",
        141 => "inverse neighbor solicitation",
        142 => "inverse neighbor advertisement",
        143 => "multicast listener report v2",
        144 => "ha discovery request",
        145 => "ha discovery reply",
        146 => "mobile router solicitation",
        147 => "mobile router advertisement",
        155 => "RPL",
        200 => "mtrace response",
        201 => "mtrace message",
        _ => null,
    };
}
