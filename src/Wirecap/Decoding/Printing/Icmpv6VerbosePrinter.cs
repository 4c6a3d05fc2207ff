using System.Buffers.Binary;
using System.Text;
using static Wirecap.Decoding.IcmpPrinter;

namespace Wirecap.Decoding;

/// <summary>What tcpdump -v prints of ICMPv6: the checksum before the type, echo without its length, neighbor
/// discovery's fields and options (one per line: <c>source link-address option (1), length 8 (1): 02:…</c>; -vv adds
/// each option's bytes in hex).</summary>
internal static class Icmpv6VerbosePrinter
{
    public static void AppendChecksum(StringBuilder line, in IpPacket ip, ReadOnlySpan<byte> icmp)
    {
        ushort stored = BinaryPrimitives.ReadUInt16BigEndian(icmp[2..]);
        ushort computed = InternetChecksum.ComputeTransport(ip.Source, ip.Destination, IpProtocols.Icmpv6, icmp);
        if (computed == 0) line.Append("[icmp6 sum ok] ");
        else line.Append("[bad icmp6 cksum 0x").AppendHexDigits(stored, 4).Append(" -> 0x").AppendHexDigits(Checksums.ShouldBe(stored, computed), 4).Append("!] ");
    }

    /// <summary>Echo (128, 129), router solicitation and advertisement (133, 134), neighbor solicitation and
    /// advertisement (135, 136), home agent address discovery reply (145), mobile prefix advertisement (147).</summary>
    public static Icmpv6Result Body(StringBuilder line, ReadOnlySpan<byte> icmp, byte type, int length, int verbosity)
    {
        switch (type)
        {
            case 128 or 129:
                if (icmp.Length < 8) return Icmpv6Result.Truncated;
                line.Append(", id ").Append(Word(icmp, 4)).Append(", seq ").Append(Word(icmp, 6));
                return Icmpv6Result.Printed;
            case 133:
                return Options(line, icmp, 8, length, verbosity);
            case 145:
                if (icmp.Length < 6) return Icmpv6Result.Truncated;
                line.Append(", id 0x").AppendHexDigits(Word(icmp, 4), 4);
                for (int at = 8; at < length; at += 16)
                {
                    if (icmp.Length < at + 16) return Icmpv6Result.Truncated;
                    line.Append(", ").AppendIPv6(icmp.Slice(at, 16));
                }
                return Icmpv6Result.Printed;
            case 147:
                if (icmp.Length < 6) return Icmpv6Result.Truncated;
                line.Append(", id 0x").AppendHexDigits(Word(icmp, 4), 4);
                if (icmp.Length < 8) return Icmpv6Result.Truncated;
                int prefixFlags = Word(icmp, 6);
                if ((prefixFlags & 0xc000) != 0) line.Append(' ');
                if ((prefixFlags & 0x8000) != 0) line.Append('M');
                if ((prefixFlags & 0x4000) != 0) line.Append('O');
                return Options(line, icmp, 8, length, verbosity);
            case 134:
                if (icmp.Length < 16) return Icmpv6Result.Truncated;
                byte flags = icmp[5];
                line.Append("\n\thop limit ").Append(icmp[4]).Append(", Flags [");
                int start = line.Length;
                void Flag(int bit, string name)
                {
                    if ((flags & bit) == 0) return;
                    if (line.Length != start) line.Append(", ");
                    line.Append(name);
                }
                Flag(0x80, "managed"); // in the order of tcpdump 4.99's table
                Flag(0x40, "other stateful");
                Flag(0x20, "home agent");
                Flag(0x02, "ipv6 only");
                if (line.Length == start) line.Append("none");
                line.Append("], pref ").Append(RoutePreference(flags))
                    .Append(", router lifetime ").Append(Word(icmp, 6)).Append("s, reachable time ").Append(BinaryPrimitives.ReadUInt32BigEndian(icmp[8..]))
                    .Append("ms, retrans timer ").Append(BinaryPrimitives.ReadUInt32BigEndian(icmp[12..])).Append("ms");
                return Options(line, icmp, 16, length, verbosity);
            default:
                if (icmp.Length < 24) return Icmpv6Result.Truncated;
                line.Append(type == 135 ? ", who has " : ", tgt is ").AppendIPv6(icmp.Slice(8, 16));
                if (type == 136)
                {
                    uint bits = BinaryPrimitives.ReadUInt32BigEndian(icmp[4..]);
                    line.Append(", Flags [");
                    int at = line.Length;
                    if ((bits & 0x80000000) != 0) line.Append("router");
                    if ((bits & 0x40000000) != 0) line.Append(line.Length != at ? ", " : "").Append("solicited");
                    if ((bits & 0x20000000) != 0) line.Append(line.Length != at ? ", " : "").Append("override");
                    if (line.Length == at) line.Append("none");
                    line.Append(']');
                }
                return Options(line, icmp, 24, length, verbosity);
        }
    }

    /// <summary>tcpdump's <c>icmp6_opt_print</c> over the options from <paramref name="at"/>.</summary>
    private static Icmpv6Result Options(StringBuilder line, ReadOnlySpan<byte> icmp, int at, int length, int verbosity)
    {
        int resid = length - at, first = at;
        while (at < icmp.Length)
        {
            if (at + 2 > icmp.Length) return Icmpv6Result.Truncated;
            if (resid <= 0) return Icmpv6Result.Printed;
            byte type = icmp[at];
            int units = icmp[at + 1], size = units << 3;
            if (units == 0 || at + size > icmp.Length) return Icmpv6Result.Truncated;
            var option = icmp.Slice(at, size);
            line.Append("\n\t  ").Append(OptionName(type)).Append(" option (").Append(type).Append("), length ").Append(size)
                .Append(" (").Append(units).Append("): ");
            switch (type)
            {
                case 1 or 2:
                    line.AppendMac(option[2..]);
                    break;
                case 3:
                    if (size < 32) return Icmpv6Result.Truncated;
                    line.AppendIPv6(option.Slice(16, 16)).Append('/').Append(option[2]).Append(units != 4 ? "badlen" : "").Append(", Flags [");
                    int start = line.Length;
                    if ((option[3] & 0x80) != 0) line.Append("onlink");
                    if ((option[3] & 0x40) != 0) line.Append(line.Length != start ? ", " : "").Append("auto");
                    if ((option[3] & 0x20) != 0) line.Append(line.Length != start ? ", " : "").Append("router");
                    if (line.Length == start) line.Append("none");
                    line.Append("], valid time ");
                    AppendLifetime(line, BinaryPrimitives.ReadUInt32BigEndian(option[4..]));
                    line.Append(", pref. time ");
                    AppendLifetime(line, BinaryPrimitives.ReadUInt32BigEndian(option[8..]));
                    break;
                case 4:
                    // tcpdump dumps this option's length of bytes from the first option on, not this option's.
                    line.AppendHexDump(icmp.Slice(first, Math.Min(size, icmp.Length - first)), ascii: false, indent: "\n\t    ");
                    break;
                case 5:
                    if (size < 8) return Icmpv6Result.Truncated;
                    line.Append(' ').Append(BinaryPrimitives.ReadUInt32BigEndian(option[4..])).Append(units != 1 ? "bad option length" : "");
                    break;
                case 7:
                    if (size < 8) return Icmpv6Result.Truncated;
                    line.Append(' ').Append(BinaryPrimitives.ReadUInt32BigEndian(option[4..])).Append("ms");
                    break;
                case 8:
                    line.Append(" preference ").Append(Word(option, 4)).Append(", lifetime ").Append(Word(option, 6));
                    break;
                case 24:
                    if (!RouteInformation(line, option)) return Icmpv6Result.Truncated;
                    break;
                case 25:
                    if (size < 8) return Icmpv6Result.Truncated;
                    line.Append(" lifetime ").Append(BinaryPrimitives.ReadUInt32BigEndian(option[4..])).Append("s,");
                    for (int i = 0; i < (units - 1) / 2; i++) line.Append(" addr: ").AppendIPv6(option.Slice(8 + i * 16, 16));
                    break;
                case 31:
                    line.Append(" lifetime ").Append(BinaryPrimitives.ReadUInt32BigEndian(option[4..])).Append("s, domain(s):");
                    // The names may point back into the options (tcpdump resolves compression from the first one).
                    var options = icmp[first..];
                    for (int name = at + 8 - first; name < at + size - first && options[name] != 0;)
                    {
                        line.Append(' ');
                        name = DnsNamePrinter.Append(line, options, name);
                        if (name < 0) return Icmpv6Result.Truncated;
                    }
                    break;
                default:
                    if (verbosity <= 1)
                    {
                        line.AppendHexDump(option[2..], ascii: false, indent: "\n\t  ");
                        return Icmpv6Result.Printed;
                    }
                    break;
            }
            if (verbosity > 1) line.AppendHexDump(option[2..], ascii: false, indent: "\n\t    ");
            at += size;
            resid -= size;
        }
        return Icmpv6Result.Printed;
    }

    /// <summary>Route information (RFC 4191): the prefix in as many bytes as the option holds, its preference and
    /// lifetime; false when its length is none of the three RFC 4191 allows.</summary>
    private static bool RouteInformation(StringBuilder line, ReadOnlySpan<byte> option)
    {
        int prefixBytes = option[1] switch { 1 => 0, 2 => 8, 3 => 16, _ => -1 };
        if (prefixBytes < 0) return false;
        Span<byte> prefix = stackalloc byte[16];
        prefix.Clear();
        option.Slice(8, prefixBytes).CopyTo(prefix);
        line.Append(' ').AppendIPv6(prefix).Append('/').Append(option[2]).Append(", pref=").Append(RoutePreference(option[3]))
            .Append(", lifetime=");
        AppendLifetime(line, BinaryPrimitives.ReadUInt32BigEndian(option[4..]));
        return true;
    }

    /// <summary>tcpdump's <c>get_rtpref</c>: the two preference bits of a router advertisement or route.</summary>
    public static string RoutePreference(byte flags) => ((flags & 0x18) >> 3) switch { 0 => "medium", 1 => "high", 2 => "rsv", _ => "low" };

    private static string OptionName(byte type) => type switch
    {
        1 => "source link-address",
        2 => "destination link-address",
        3 => "prefix info",
        4 => "redirected header",
        5 => "mtu",
        7 => "advertisement interval",
        8 => "homeagent information",
        24 => "route info",
        25 => "rdnss",
        31 => "dnssl",
        _ => "unknown",
    };

    private static void AppendLifetime(StringBuilder line, uint seconds)
    {
        if (seconds == uint.MaxValue) line.Append("infinity");
        else line.Append(seconds).Append('s');
    }

    private static ushort Word(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
}
