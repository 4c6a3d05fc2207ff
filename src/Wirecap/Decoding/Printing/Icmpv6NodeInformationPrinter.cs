using System.Buffers.Binary;
using System.Text;
using static Wirecap.Decoding.IcmpPrinter;

namespace Wirecap.Decoding;

/// <summary>ICMPv6 node information query and reply (RFC 4620, types 139 and 140) as tcpdump 4.99 prints them after
/// the type name (which for these numbers is KAME's "who-are-you request/reply"): the query type, its flags, the
/// subject; a reply's code, addresses with their TTLs or its DNS name. The message is read only as far as captured
/// and no further than the IPv6 payload length; a header cut short prints tcpdump's <c> [|icmp6]</c> and the line goes on.</summary>
internal static class Icmpv6NodeInformationPrinter
{
    private const int HeaderLength = 16; // type, code, checksum, qtype, flags, nonce

    public static Icmpv6Result Print(StringBuilder line, ReadOnlySpan<byte> icmp, byte type, int length, int verbosity) =>
        type == 139 ? Query(line, icmp, verbosity > 0) : Reply(line, icmp, length, verbosity > 0);

    private static Icmpv6Result Query(StringBuilder line, ReadOnlySpan<byte> icmp, bool verbose)
    {
        if (icmp.Length == 12)
        {
            line.Append(" who-are-you request"); // KAME's form: no query type, no nonce
            return Icmpv6Result.Printed;
        }
        line.Append(" node information query");
        if (icmp.Length < HeaderLength) return Cut(line);
        int qtype = Word(icmp, 4), flags = Word(icmp, 6);
        line.Append(" (");
        switch (qtype)
        {
            case 0: line.Append("noop"); break;
            case 1: SupportedTypes(line, flags); break;
            case 2: line.Append("DNS name"); break;
            case 3:
                line.Append("node addresses");
                if (flags != 0) AddressFlags(line, flags, truncateFlag: false);
                break;
            default: line.Append("unknown"); break;
        }
        if (qtype is 0 or 1)
        {
            if (icmp.Length != HeaderLength && verbose) line.Append(", invalid len");
            line.Append(')');
            return Icmpv6Result.Printed;
        }
        if (icmp.Length == HeaderLength)
        {
            line.Append(", 03 draft)"); // the name-lookup draft's query carried no subject
            return Icmpv6Result.Printed;
        }
        var subject = icmp[HeaderLength..];
        switch (icmp[1])
        {
            case 0 or 2:
                AppendAddressSubject(line, subject, icmp[1] == 0 ? 16 : 4, verbose);
                break;
            case 1:
                line.Append(", subject=DNS name");
                Name(line, subject, verbose);
                break;
            default:
                line.Append(", unknown subject");
                break;
        }
        line.Append(')');
        return Icmpv6Result.Printed;
    }

    /// <summary>An IPv6 or IPv4 subject: printed when it is exactly that long, noted under -v when it is longer,
    /// left out when it was not captured.</summary>
    private static void AppendAddressSubject(StringBuilder line, ReadOnlySpan<byte> subject, int size, bool verbose)
    {
        if (subject.Length < size) return;
        if (subject.Length != size)
        {
            if (verbose) line.Append(", invalid subject len");
            return;
        }
        line.Append(", subject=").AppendIp(subject);
    }

    private static Icmpv6Result Reply(StringBuilder line, ReadOnlySpan<byte> icmp, int length, bool verbose)
    {
        if (length > icmp.Length || icmp.Length < HeaderLength) return Cut(line);
        line.Append(" node information reply (");
        byte code = icmp[1];
        if (code != 0)
        {
            if (code is 1 or 2)
            {
                line.Append(code == 1 ? "refused" : "unknown");
                if (icmp.Length != HeaderLength && verbose) line.Append(", invalid length");
            }
            line.Append(')');
            return Icmpv6Result.Printed;
        }
        if (verbose) line.Append("success, ");
        int qtype = Word(icmp, 4), flags = Word(icmp, 6);
        switch (qtype)
        {
            case 0:
                line.Append("noop");
                if (icmp.Length != HeaderLength && verbose) line.Append(", invalid length");
                break;
            case 1:
                SupportedTypes(line, flags);
                break;
            case 2:
                line.Append("DNS name");
                const int NameAt = HeaderLength + 4; // past the TTL
                if (icmp.Length <= NameAt) return Icmpv6Result.Truncated;
                Name(line, icmp[NameAt..], verbose);
                if ((flags & 1) != 0) line.Append(" [TTL=").Append(BinaryPrimitives.ReadUInt32BigEndian(icmp[HeaderLength..])).Append(']');
                break;
            case 3:
                line.Append("node addresses");
                for (int at = HeaderLength; at + 20 <= icmp.Length; at += 20)
                    line.Append(' ').AppendIPv6(icmp.Slice(at + 4, 16)).Append('(').Append(BinaryPrimitives.ReadUInt32BigEndian(icmp[at..])).Append(')');
                if (flags != 0) AddressFlags(line, flags, truncateFlag: true);
                break;
            default:
                line.Append("unknown");
                break;
        }
        line.Append(')');
        return Icmpv6Result.Printed;
    }

    /// <summary>tcpdump's <c>nd_print_trunc</c> inside the message: the mark, and the line goes on with its length.</summary>
    private static Icmpv6Result Cut(StringBuilder line)
    {
        line.Append(" [|icmp6]");
        return Icmpv6Result.Printed;
    }

    private static void SupportedTypes(StringBuilder line, int flags)
    {
        line.Append("supported qtypes");
        if (flags != 0) line.Append((flags & 1) != 0 ? " [C]" : " []");
    }

    private static void AddressFlags(StringBuilder line, int flags, bool truncateFlag)
    {
        line.Append(" [");
        if ((flags & 0x40) != 0) line.Append('a');
        if ((flags & 0x20) != 0) line.Append('G');
        if ((flags & 0x10) != 0) line.Append('S');
        if ((flags & 0x08) != 0) line.Append('L');
        if ((flags & 0x04) != 0) line.Append('C');
        if ((flags & 0x02) != 0) line.Append('A');
        if (truncateFlag && (flags & 0x01) != 0) line.Append('T');
        line.Append(']');
    }

    /// <summary>A subject or reply name: the name-lookup draft's single length-prefixed string when its length byte
    /// covers the rest exactly, otherwise DNS labels without compression (tcpdump's <c>dnsname_print</c>).</summary>
    private static void Name(StringBuilder line, ReadOnlySpan<byte> name, bool verbose)
    {
        if (name[0] == name.Length - 1)
        {
            if (verbose) line.Append(", 03 draft");
            line.Append(", \"");
            foreach (byte b in name[1..]) line.AppendPrintable(b);
            line.Append('"');
            return;
        }
        line.Append(", \"");
        int at = 0;
        while (at < name.Length)
        {
            int label = name[at++];
            if (label == 0)
            {
                if (at == name.Length) line.Append('.');
                else if (!(at + 1 == name.Length && name[at] == 0)) line.Append("???"); // a second zero is padding
                break;
            }
            if (label > name.Length - at)
            {
                line.Append("???");
                break;
            }
            foreach (byte b in name.Slice(at, label)) line.AppendPrintable(b);
            at += label;
            if (at + 1 < name.Length && name[at] != 0) line.Append('.');
        }
        line.Append('"');
    }

    private static ushort Word(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
}
