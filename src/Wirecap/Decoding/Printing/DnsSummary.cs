using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>The one-line DNS summary tcpdump prints without -v: id and flags, the question(s) of a
/// query, the counts and answers of a response, then the length.</summary>
internal static class DnsSummary
{
    private static readonly string[] Opcodes = ["", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
        " op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"];

    private static readonly string[] Rcodes = ["", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused",
        " YXDomain", " YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14", " NoChange"];

    /// <summary>Appends the summary; on a malformed message appends what was read and
    /// tcpdump's truncation mark. False (nothing appended) when the header is incomplete.</summary>
    public static bool TryAppend(StringBuilder line, ReadOnlySpan<byte> message, int length)
    {
        if (!DnsHeader.TryRead(message, out var header)) return false;
        ushort flags = header.Flags;
        line.Append(header.Id);
        if (header.IsResponse)
        {
            line.Append(Opcodes[header.Opcode]).Append(Rcodes[header.Rcode]);
            if ((flags & DnsFlags.AA) != 0) line.Append('*');
            if ((flags & DnsFlags.RA) == 0) line.Append('-');
            if ((flags & DnsFlags.TC) != 0) line.Append('|');
            if ((flags & DnsFlags.AD) != 0) line.Append('$');
            if (header.QuestionCount != 1) line.Append(" [").Append(header.QuestionCount).Append("q]");
            int at = DnsHeader.Length;
            for (int i = 0; i < header.QuestionCount && at >= 0; i++)
            {
                at = DnsName.Skip(message, at);
                at = at >= 0 && at + 4 <= message.Length ? at + 4 : -1;
            }
            line.Append(' ').Append(header.AnswerCount).Append('/').Append(header.AuthorityCount).Append('/').Append(header.AdditionalCount);
            for (int i = 0; i < header.AnswerCount && at >= 0; i++)
            {
                if (i > 0) line.Append(',');
                at = AppendRecord(line, message, at);
            }
            if (at < 0) { line.Append(" [|domain]"); return true; }
        }
        else
        {
            line.Append(Opcodes[header.Opcode]);
            if ((flags & DnsFlags.RD) != 0) line.Append('+');
            if ((flags & DnsFlags.CD) != 0) line.Append('%');
            if ((flags & 0x6cf) != 0) line.Append(" [b2&3=0x").AppendHex(flags).Append(']');
            if (header.QuestionCount != 1) line.Append(" [").Append(header.QuestionCount).Append("q]");
            if (header.AnswerCount != 0) line.Append(" [").Append(header.AnswerCount).Append("a]");
            if (header.AuthorityCount != 0) line.Append(" [").Append(header.AuthorityCount).Append("n]");
            if (header.AdditionalCount != 0) line.Append(" [").Append(header.AdditionalCount).Append("au]");
            int at = DnsHeader.Length;
            for (int i = 0; i < header.QuestionCount && at >= 0; i++)
                at = AppendQuestion(line, message, at);
            if (at < 0) { line.Append(" [|domain]"); return true; }
        }
        line.Append(" (").Append(length).Append(')');
        return true;
    }

    private static int AppendQuestion(StringBuilder line, ReadOnlySpan<byte> message, int at)
    {
        int end = DnsName.Skip(message, at);
        if (end < 0 || end + 4 > message.Length) return -1;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[end..]);
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(end + 2)..]);
        line.Append(' ').Append(TypeName(type));
        if ((@class & 0x7FFF) != 1) line.Append(' ').Append(DnsTypes.ClassName(@class));
        line.Append("? ");
        if (AppendName(line, message, at) < 0) return -1;
        return end + 4;
    }

    private static int AppendRecord(StringBuilder line, ReadOnlySpan<byte> message, int at)
    {
        int end = DnsName.Skip(message, at);
        if (end < 0 || end + 10 > message.Length) return -1;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[end..]);
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(end + 2)..]);
        int dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(end + 8)..]);
        int data = end + 10;
        if (data + dataLength > message.Length) return -1;
        line.Append(' ').Append(TypeName(type));
        if ((@class & 0x7FFF) != 1) line.Append(' ').Append(DnsTypes.ClassName(@class));
        var rdata = message.Slice(data, dataLength);
        switch (type)
        {
            case 1 when dataLength == 4:
                line.Append(' ').AppendIPv4(rdata);
                break;
            case 28 when dataLength == 16:
                line.Append(' ').AppendIPv6(rdata);
                break;
            case 2 or 5 or 12 or 39:
                line.Append(' ');
                if (AppendName(line, message, data) < 0) return -1;
                break;
            case 15 when dataLength >= 3:
                line.Append(' ');
                if (AppendName(line, message, data + 2) < 0) return -1;
                line.Append(' ').Append(BinaryPrimitives.ReadUInt16BigEndian(rdata));
                break;
            case 16:
                for (int i = 0; i < rdata.Length;)
                {
                    int n = rdata[i];
                    if (i + 1 + n > rdata.Length) return -1;
                    line.Append(" \"");
                    foreach (byte b in rdata.Slice(i + 1, n)) AppendPrintable(line, b);
                    line.Append('"');
                    i += 1 + n;
                }
                break;
            case 33 when dataLength >= 7:
                line.Append(' ');
                if (AppendName(line, message, data + 6) < 0) return -1;
                line.Append(':').Append(BinaryPrimitives.ReadUInt16BigEndian(rdata[4..]))
                    .Append(' ').Append(BinaryPrimitives.ReadUInt16BigEndian(rdata))
                    .Append(' ').Append(BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]));
                break;
        }
        return data + dataLength;
    }

    private static int AppendName(StringBuilder line, ReadOnlySpan<byte> message, int at)
    {
        int start = line.Length;
        int end = DnsName.Append(message, at, line);
        if (end >= 0 && (line.Length == start || line[^1] != '.')) line.Append('.');
        return end;
    }

    private static void AppendPrintable(StringBuilder line, byte b)
    {
        if (b is >= 0x20 and < 0x7F) line.Append((char)b);
        else line.Append("\\0").Append((char)('0' + (b >> 6))).Append((char)('0' + ((b >> 3) & 7))).Append((char)('0' + (b & 7)));
    }

    private static string TypeName(ushort type)
    {
        string name = DnsTypes.TypeName(type);
        return name.StartsWith("TYPE", StringComparison.Ordinal) ? "Type" + type : name;
    }
}
