using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>The one-line DNS summary tcpdump 4.99 prints (its <c>domain_print</c>): id and flags, the rcode extended by
/// an OPT record, the question(s) of a query, the counts and answers of a response, then the length; over TCP after
/// the two-byte length prefix. -v adds the owner name of each record, -vv every section (<c>q:</c>, <c>ns:</c>,
/// <c>ar:</c>, EDNS options), -vvv TTLs. Whatever was not captured ends the line with <c> [|domain]</c>.</summary>
internal static class DnsSummary
{
    private static readonly string[] Opcodes = ["", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
        " op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"];

    // tcpdump's table, including its two entries without the leading space.
    private static readonly string[] Rcodes = ["", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused",
        " YXDomain", " YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14", " NoChange",
        " BadVers", "Resp17", " Resp18", " Resp19", " Resp20", "Resp21", " Resp22", " BadCookie"];

    private const int HeaderLength = 12, Opt = 41, IQuery = 1;
    private const int Truncated = -1, Malformed = -2;

    /// <summary>DNS over TCP: the length prefix must equal what follows it.</summary>
    public static void AppendOverTcp(StringBuilder line, ReadOnlySpan<byte> segment, int length, int verbosity)
    {
        if (length < 2)
        {
            line.Append(" [DNS over TCP: length ").Append(length).Append(" < 2] (invalid)");
            return;
        }
        length -= 2;
        if (segment.Length < 2)
        {
            line.Append(" [|domain]");
            return;
        }
        int prefix = BinaryPrimitives.ReadUInt16BigEndian(segment);
        if (prefix != length)
        {
            line.Append(" [prefix length(").Append(prefix).Append(") != length(").Append(length).Append(")] (invalid)");
            return;
        }
        line.Append(' ');
        Append(line, segment[2..], length, overTcp: true, verbosity);
    }

    /// <summary>Appends the summary of <paramref name="message"/> (as captured), <paramref name="length"/> bytes long.</summary>
    public static void Append(StringBuilder line, ReadOnlySpan<byte> message, int length, bool overTcp, int verbosity)
    {
        _ = overTcp;
        if (length < HeaderLength)
        {
            line.Append("domain [length ").Append(length).Append(" < 12] (invalid)");
            return;
        }
        if (message.Length < HeaderLength)
        {
            line.Append(" [|domain]");
            return;
        }
        if (!TryAppendMessage(line, message, length, verbosity)) line.Append(" [|domain]");
    }

    private static bool TryAppendMessage(StringBuilder line, ReadOnlySpan<byte> message, int length, int verbosity)
    {
        ushort flags = Word(message, 2);
        int questions = Word(message, 4), answers = Word(message, 6), authority = Word(message, 8), additional = Word(message, 10);
        int rcode = ExtendedRcode(message, flags, questions, answers + authority, additional);
        if (rcode == Truncated) return false;
        int opcode = (flags >> 11) & 0xf;
        line.Append(Word(message, 0));
        int at = HeaderLength;
        if ((flags & DnsFlags.QR) != 0)
        {
            line.Append(Opcodes[opcode]);
            if (rcode < Rcodes.Length) line.Append(Rcodes[rcode]);
            else line.Append(" Resp").Append(rcode & 0xfff);
            if ((flags & DnsFlags.AA) != 0) line.Append('*');
            if ((flags & DnsFlags.RA) == 0) line.Append('-');
            if ((flags & DnsFlags.TC) != 0) line.Append('|');
            if ((flags & DnsFlags.AD) != 0) line.Append('$');
            if (questions != 1) line.Append(" [").Append(questions).Append("q]");
            for (int i = 0; i < questions; i++)
            {
                if (i != 0) line.Append(',');
                if (verbosity > 1)
                {
                    line.Append(" q:");
                    at = AppendQuestion(line, message, at);
                    if (at < 0) return false;
                    continue;
                }
                at = SkipName(message, at);
                if (at < 0) return false;
                at += 4;
            }
            line.Append(' ').Append(answers).Append('/').Append(authority).Append('/').Append(additional);
            at = AppendSection(line, message, at, answers, null, verbosity, first: true);
            if (at < 0) return false;
            if (verbosity > 1)
            {
                at = AppendSection(line, message, at, authority, " ns:", verbosity);
                if (at >= 0) at = AppendSection(line, message, at, additional, " ar:", verbosity);
                if (at < 0) return false;
            }
        }
        else
        {
            line.Append(Opcodes[opcode]);
            if ((flags & DnsFlags.RD) != 0) line.Append('+');
            if ((flags & DnsFlags.CD) != 0) line.Append('%');
            if ((flags & 0x6cf) != 0) line.Append(" [b2&3=0x").AppendHex(flags).Append(']');
            if (opcode == IQuery)
            {
                if (questions != 0) line.Append(" [").Append(questions).Append("q]");
                if (answers != 1) line.Append(" [").Append(answers).Append("a]");
            }
            else
            {
                if (answers != 0) line.Append(" [").Append(answers).Append("a]");
                if (questions != 1) line.Append(" [").Append(questions).Append("q]");
            }
            if (authority != 0) line.Append(" [").Append(authority).Append("n]");
            if (additional != 0) line.Append(" [").Append(additional).Append("au]");
            if (questions > 0)
            {
                at = AppendQuestion(line, message, at);
                if (at < 0) return false;
                questions--;
                while (at < message.Length && questions > 0)
                {
                    at = AppendQuestion(line, message, at);
                    if (at < 0) return false;
                    questions--;
                }
            }
            if (questions > 0) return false;
            if (verbosity > 1)
            {
                at = AppendSection(line, message, at, answers, null, verbosity, first: true);
                if (at >= 0) at = AppendSection(line, message, at, authority, " ns:", verbosity);
                if (at >= 0) at = AppendSection(line, message, at, additional, " ar:", verbosity);
                if (at < 0) return false;
            }
        }
        line.Append(" (").Append(length).Append(')');
        return true;
    }

    /// <summary>The records of a section, comma-separated after its label; -1 when one was cut short. The answers of a
    /// response (<paramref name="first"/>) are printed even past the end of the capture, as tcpdump does.</summary>
    private static int AppendSection(StringBuilder line, ReadOnlySpan<byte> message, int at, int count, string? label, int verbosity, bool first = false)
    {
        if (count == 0) return at;
        if (!first && at >= message.Length) return Truncated;
        line.Append(label);
        at = AppendRecord(line, message, at, verbosity);
        if (at < 0) return Truncated;
        count--;
        while (at < message.Length && count > 0)
        {
            line.Append(',');
            at = AppendRecord(line, message, at, verbosity);
            if (at < 0) return Truncated;
            count--;
        }
        return count > 0 ? Truncated : at;
    }

    /// <summary>The rcode, with the high bits an OPT record in the additional section carries; -1 when a name the
    /// scan meets runs past the capture (tcpdump gives up the whole summary then).</summary>
    private static int ExtendedRcode(ReadOnlySpan<byte> message, ushort flags, int questions, int records, int additional)
    {
        int rcode = flags & 0xf, at = HeaderLength;
        for (int i = 0; i < questions; i++)
        {
            at = SkipName(message, at);
            if (at == Truncated) return Truncated;
            if (at == Malformed) return rcode;
            at += 4;
            if (at >= message.Length) return rcode;
        }
        for (int i = 0; i < records; i++)
        {
            at = SkipName(message, at);
            if (at == Truncated) return Truncated;
            if (at == Malformed) return rcode;
            at += 8;
            if (at + 2 > message.Length) return rcode;
            at += 2 + Word(message, at);
            if (at >= message.Length) return rcode;
        }
        for (int i = 0; i < additional; i++)
        {
            at = SkipName(message, at);
            if (at == Truncated) return Truncated;
            if (at == Malformed || at + 2 > message.Length) return rcode;
            ushort type = Word(message, at);
            at += 4;
            if (at + 1 > message.Length) return rcode;
            if (type == Opt) return rcode | (message[at] << 4);
            at += 4;
            if (at + 2 > message.Length) return rcode;
            at += 2 + Word(message, at);
            if (at >= message.Length) return rcode;
        }
        return rcode;
    }

    /// <summary>tcpdump's <c>ns_nskip</c>: past the labels, or past a pointer without following it.</summary>
    private static int SkipName(ReadOnlySpan<byte> message, int at)
    {
        while (true)
        {
            if (at >= message.Length) return Truncated;
            int label = message[at++];
            if (label == 0) return at;
            switch (label & 0xc0)
            {
                case 0xc0:
                    return at + 1;
                case 0x00:
                    at += label;
                    break;
                default:
                    return Malformed;
            }
        }
    }

    private static int AppendQuestion(StringBuilder line, ReadOnlySpan<byte> message, int at)
    {
        int end = SkipName(message, at);
        if (end < 0 || end + 4 > message.Length) return Truncated;
        ushort type = Word(message, end), @class = Word(message, end + 2);
        AppendType(line.Append(' '), type);
        if (@class != 1) AppendClass(line.Append(' '), @class);
        line.Append("? ");
        return AppendName(line, message, at) < 0 ? Truncated : end + 4;
    }

    /// <summary>tcpdump's <c>ns_rprint</c>: under -v the owner name, then (-vvv) the TTL, the type and the data of the
    /// types it shows; a record whose fixed part was not captured prints nothing more and ends the walk.</summary>
    private static int AppendRecord(StringBuilder line, ReadOnlySpan<byte> message, int at, int verbosity)
    {
        int end = SkipName(message, at);
        if (verbosity > 0)
        {
            line.Append(' ');
            if (end < 0 || AppendName(line, message, at) < 0) return Truncated;
        }
        if (end < 0 || end + 10 > message.Length) return message.Length;
        ushort type = Word(message, end), @class = Word(message, end + 2);
        if (@class != 1 && type != Opt) AppendClass(line.Append(' '), @class);
        ushort optFlags = Word(message, end + 6);
        if (type != Opt && verbosity > 2) line.Append(" [").AppendDuration(BinaryPrimitives.ReadUInt32BigEndian(message[(end + 4)..])).Append(']');
        int dataLength = Word(message, end + 8), data = end + 10, next = data + dataLength;
        AppendType(line.Append(' '), type);
        if (next > message.Length) return Truncated;
        var rdata = message.Slice(data, dataLength);
        switch (type)
        {
            case 1:
                if (dataLength < 4) return Truncated;
                line.Append(' ').AppendIPv4(rdata);
                break;
            case 2 or 5 or 12 or 39:
                line.Append(' ');
                if (AppendName(line, message, data) < 0) return Truncated;
                break;
            case 15:
                line.Append(' ');
                if (dataLength < 2 || AppendName(line, message, data + 2) < 0) return Truncated;
                line.Append(' ').Append(Word(rdata, 0));
                break;
            case 16:
                for (int i = 0; i < rdata.Length;)
                {
                    int n = rdata[i];
                    if (i + 1 + n > rdata.Length) return Truncated;
                    line.Append(" \"");
                    foreach (byte b in rdata.Slice(i + 1, n)) AppendPrintable(line, b);
                    line.Append('"');
                    i += 1 + n;
                }
                break;
            case 33:
                line.Append(' ');
                if (dataLength < 6 || AppendName(line, message, data + 6) < 0) return Truncated;
                line.Append(':').Append(Word(rdata, 4)).Append(' ').Append(Word(rdata, 0)).Append(' ').Append(Word(rdata, 2));
                break;
            case 28:
                if (dataLength < 16) return Truncated;
                line.Append(' ').AppendIPv6(rdata);
                break;
            case 256:
                if (dataLength < 4) return Truncated;
                line.Append(' ').Append(Word(rdata, 0)).Append(' ').Append(Word(rdata, 2)).Append(' ');
                foreach (byte b in rdata[4..]) AppendPrintable(line, b);
                break;
            case Opt:
                line.Append(" UDPsize=").Append(@class);
                if ((optFlags & 0x8000) != 0) line.Append(" DO");
                if (!rdata.IsEmpty && !EdnsOptions.Append(line, rdata)) return Truncated;
                break;
            case 6 when verbosity > 0:
                line.Append(' ');
                int mailbox = SkipName(message, data);
                if (mailbox < 0 || AppendName(line, message, data) < 0) return Truncated;
                line.Append(' ');
                int numbers = SkipName(message, mailbox);
                if (numbers < 0 || AppendName(line, message, mailbox) < 0 || numbers + 20 > message.Length) return Truncated;
                for (int i = 0; i < 5; i++) line.Append(' ').Append(BinaryPrimitives.ReadUInt32BigEndian(message[(numbers + 4 * i)..]));
                break;
        }
        return next;
    }

    private static int AppendName(StringBuilder line, ReadOnlySpan<byte> message, int at) => DnsNamePrinter.Append(line, message, at);

    /// <summary>tcpdump's <c>ns_type2str</c> names, <c>TypeN</c> for the others.</summary>
    private static readonly string?[] TypeNames = BuildTypeNames();

    private static string?[] BuildTypeNames()
    {
        var names = new string?[257];
        string[] low = ["A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR", "HINFO", "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP_PTR", "SIG", "KEY", "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT", "A6", "DNAME", "SINK", "OPT", "APL", "DS", "SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY"];
        for (int i = 0; i < low.Length; i++) names[i + 1] = low[i];
        string[] mid = ["SPF", "UINFO", "UID", "GID", "UNSPEC", "UNSPECA"];
        for (int i = 0; i < mid.Length; i++) names[99 + i] = mid[i];
        string[] high = ["TKEY", "TSIG", "IXFR", "AXFR", "MAILB", "MAILA", "ANY", "URI"];
        for (int i = 0; i < high.Length; i++) names[249 + i] = high[i];
        return names;
    }

    private static void AppendType(StringBuilder line, ushort type)
    {
        if (type < TypeNames.Length && TypeNames[type] is { } name) line.Append(name);
        else line.Append("Type").Append(type);
    }

    private static void AppendClass(StringBuilder line, ushort @class)
    {
        switch (@class)
        {
            case 1: line.Append("IN"); break;
            case 3: line.Append("CHAOS"); break;
            case 4: line.Append("HS"); break;
            case 255: line.Append("ANY"); break;
            default: line.Append("(Class ").Append(@class).Append(')'); break;
        }
    }

    private static void AppendPrintable(StringBuilder line, byte b)
    {
        if (b is >= 0x20 and < 0x7F) line.Append((char)b);
        else line.Append("\\0").Append((char)('0' + (b >> 6))).Append((char)('0' + ((b >> 3) & 7))).Append((char)('0' + (b & 7)));
    }

    private static ushort Word(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
}
