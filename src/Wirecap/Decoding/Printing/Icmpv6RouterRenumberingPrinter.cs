using System.Buffers.Binary;
using System.Text;
using static Wirecap.Decoding.IcmpPrinter;

namespace Wirecap.Decoding;

/// <summary>ICMPv6 router renumbering (RFC 2894, type 138) as tcpdump 4.99 prints it: the code and sequence number;
/// -v adds the header's flags, segment and delay in brackets; a command adds its match-prefix part and each
/// use-prefix part (on lines of their own from -vv on). A part cut short ends in tcpdump's <c> [|icmp6]</c> and the
/// line goes on with its length.</summary>
internal static class Icmpv6RouterRenumberingPrinter
{
    private const int HeaderLength = 16, MatchLength = 24, UseLength = 32;

    public static Icmpv6Result Print(StringBuilder line, ReadOnlySpan<byte> icmp, int verbosity)
    {
        if (icmp.Length < HeaderLength) return Cut(line);
        byte code = icmp[1];
        line.Append(code switch { 0 => ", command", 1 => ", result", 255 => ", sequence number reset", _ => ", code-#" });
        if (code is not (0 or 1 or 255)) line.Append(code);
        line.Append(", seq=").Append(BinaryPrimitives.ReadUInt32BigEndian(icmp[4..]));
        if (verbosity > 0) AppendHeaderDetails(line, icmp);
        if (code != 0) return Icmpv6Result.Printed;

        if (icmp.Length < HeaderLength + MatchLength) return Cut(line);
        var match = icmp.Slice(HeaderLength, MatchLength);
        line.Append(verbosity > 1 ? "\n\t" : " ").Append("match(");
        line.Append(match[0] switch { 1 => "add", 2 => "change", 3 => "setglobal", _ => "#" });
        if (match[0] is not (1 or 2 or 3)) line.Append(match[0]);
        if (verbosity > 0) line.Append(",ord=").Append(match[2]).Append(",min=").Append(match[4]).Append(",max=").Append(match[5]);
        line.Append(',').AppendIPv6(match[8..]).Append('/').Append(match[3]).Append(')');

        int units = match[1] - 3; // the part's length in 8-octet units: the match part's 3 and 4 per use part
        if (units % 4 != 0) return Cut(line);
        for (int i = 0, at = HeaderLength + MatchLength; i < units / 4; i++, at += UseLength)
        {
            if (icmp.Length < at + UseLength) return Cut(line);
            AppendUse(line, icmp.Slice(at, UseLength), verbosity);
        }
        return Icmpv6Result.Printed;
    }

    private static void AppendHeaderDetails(StringBuilder line, ReadOnlySpan<byte> icmp)
    {
        byte flags = icmp[9];
        line.Append('[');
        if (flags != 0)
        {
            if ((flags & 0x80) != 0) line.Append('T');
            if ((flags & 0x40) != 0) line.Append('R');
            if ((flags & 0x20) != 0) line.Append('A');
            if ((flags & 0x10) != 0) line.Append('S');
            if ((flags & 0x08) != 0) line.Append('P');
            line.Append(',');
        }
        line.Append("seg=").Append(icmp[8]).Append(",maxdelay=").Append(Word(icmp, 10));
        uint reserved = BinaryPrimitives.ReadUInt32BigEndian(icmp[12..]);
        if (reserved != 0) line.Append("rsvd=0x").AppendHex((int)reserved); // tcpdump prints no comma before it
        line.Append(']');
    }

    private static void AppendUse(StringBuilder line, ReadOnlySpan<byte> use, int verbosity)
    {
        line.Append(verbosity > 1 ? "\n\t" : " ").Append("use(");
        // tcpdump tests the flags word's first byte against the flags in network order as a little-endian host holds
        // them, so its two flags are that byte's top bits.
        byte flags = use[12];
        if (flags != 0) line.Append((flags & 0x80) != 0 ? "V" : "").Append((flags & 0x40) != 0 ? "P" : "").Append(',');
        if (verbosity > 0)
        {
            line.Append("mask=0x").AppendHex(use[2]).Append(",raflags=0x").AppendHex(use[3]).Append(',');
            AppendTime(line, "vltime=", BinaryPrimitives.ReadUInt32BigEndian(use[4..]));
            AppendTime(line, "pltime=", BinaryPrimitives.ReadUInt32BigEndian(use[8..]));
        }
        line.AppendIPv6(use[16..]).Append('/').Append(use[0]).Append('/').Append(use[1]).Append(')');
    }

    private static void AppendTime(StringBuilder line, string name, uint seconds)
    {
        line.Append(name);
        if (seconds == uint.MaxValue) line.Append("infty,");
        else line.Append(seconds).Append(',');
    }

    private static Icmpv6Result Cut(StringBuilder line)
    {
        line.Append(" [|icmp6]");
        return Icmpv6Result.Printed;
    }

    private static ushort Word(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
}
