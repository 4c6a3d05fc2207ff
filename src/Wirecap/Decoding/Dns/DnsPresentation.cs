using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>
/// A dig-like text rendering of a DNS message (header, then each section's records in zone-file
/// form, unknown types as RFC 3597 <c>\# len hex</c>), used for display and for regex filters.
/// Malformed messages render as far as they parse, then <c>;; malformed</c>.
/// </summary>
public static class DnsPresentation
{
    /// <summary>Renders <paramref name="message"/>; false when it is not even 12 bytes.</summary>
    public static bool TryFormat(ReadOnlySpan<byte> message, StringBuilder text)
    {
        if (!DnsHeader.TryRead(message, out var header)) return false;
        text.Append(";; opcode: ").Append(DnsTypes.OpcodeName(header.Opcode))
            .Append(", status: ").Append(DnsTypes.RcodeName(header.Rcode))
            .Append(", id: ").Append(header.Id).Append('\n');
        text.Append(";; flags:");
        AppendFlags(header.Flags, text);
        text.Append("; QUERY: ").Append(header.QuestionCount)
            .Append(", ANSWER: ").Append(header.AnswerCount)
            .Append(", AUTHORITY: ").Append(header.AuthorityCount)
            .Append(", ADDITIONAL: ").Append(header.AdditionalCount).Append('\n');

        int offset = DnsHeader.Length;
        offset = Section(message, offset, header.QuestionCount, "QUESTION", question: true, text);
        offset = Section(message, offset, header.AnswerCount, "ANSWER", question: false, text);
        offset = Section(message, offset, header.AuthorityCount, "AUTHORITY", question: false, text);
        offset = Section(message, offset, header.AdditionalCount, "ADDITIONAL", question: false, text);
        if (offset < 0) text.Append(";; malformed\n");
        return true;
    }

    /// <summary>
    /// ncaptool's regex subjects, tried one at a time: each question's name (without the trailing dot, the root as
    /// <c>.</c>), then each record of the other sections as glibc's <c>ns_sprintrr</c> renders it. True when <paramref name="regex"/>
    /// finds one; entries that do not parse are passed over, and the walk ends at the first malformed one.
    /// </summary>
    internal static bool AnyEntry(ReadOnlySpan<byte> message, StringBuilder text, System.Text.RegularExpressions.Regex regex)
    {
        if (!DnsHeader.TryRead(message, out var header)) return false;
        int offset = DnsHeader.Length;
        for (int i = 0; i < header.QuestionCount && offset >= 0; i++)
        {
            text.Clear();
            int end = DnsName.Append(message, offset, text);
            if (end < 0 || end + 4 > message.Length) return false;
            if (text.Length > 1) text.Length--;
            if (regex.IsMatch(text.ToString())) return true;
            offset = end + 4;
        }
        int records = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        for (int i = 0; i < records && offset >= 0; i++)
        {
            text.Clear();
            offset = ResolverRecordText.Append(message, offset, text);
            if (offset >= 0 && regex.IsMatch(text.ToString())) return true;
        }
        return false;
    }

    private static void AppendFlags(ushort flags, StringBuilder text)
    {
        if ((flags & DnsFlags.QR) != 0) text.Append(" qr");
        if ((flags & DnsFlags.AA) != 0) text.Append(" aa");
        if ((flags & DnsFlags.TC) != 0) text.Append(" tc");
        if ((flags & DnsFlags.RD) != 0) text.Append(" rd");
        if ((flags & DnsFlags.RA) != 0) text.Append(" ra");
        if ((flags & DnsFlags.AD) != 0) text.Append(" ad");
        if ((flags & DnsFlags.CD) != 0) text.Append(" cd");
    }

    private static int Section(ReadOnlySpan<byte> message, int offset, int count, string name, bool question, StringBuilder text)
    {
        if (offset < 0 || count == 0) return offset;
        text.Append(";; ").Append(name).Append(" SECTION:\n");
        for (int i = 0; i < count && offset >= 0; i++)
            offset = question ? Question(message, offset, text) : Record(message, offset, text);
        return offset;
    }

    private static int Question(ReadOnlySpan<byte> message, int offset, StringBuilder text)
    {
        offset = DnsName.Append(message, offset, text);
        if (offset < 0 || offset + 4 > message.Length) return -1;
        text.Append(' ').Append(DnsTypes.ClassName(BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..])))
            .Append(' ').Append(DnsTypes.TypeName(BinaryPrimitives.ReadUInt16BigEndian(message[offset..]))).Append('\n');
        return offset + 4;
    }

    private static int Record(ReadOnlySpan<byte> message, int offset, StringBuilder text)
    {
        offset = DnsName.Append(message, offset, text);
        if (offset < 0 || offset + 10 > message.Length) return -1;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
        int data = offset + 10;
        if (data + length > message.Length) return -1;
        text.Append(' ').Append(ttl).Append(' ').Append(type == 41 ? "CLASS" + @class : DnsTypes.ClassName(@class))
            .Append(' ').Append(DnsTypes.TypeName(type)).Append(' ');
        AppendRecordData(message, data, length, type, text);
        text.Append('\n');
        return data + length;
    }

    /// <summary>A record's data in zone-file form; RFC 3597's <c>\# len hex</c> for types not rendered otherwise.
    /// <paramref name="resolverForm"/>: names without their trailing dot and TXT strings unescaped, as glibc's
    /// <c>ns_sprintrr</c> writes them (see <see cref="ResolverRecordText"/>).</summary>
    internal static void AppendRecordData(ReadOnlySpan<byte> message, int data, int length, ushort type, StringBuilder text, bool resolverForm = false)
    {
        int mark = text.Length;
        if (!RecordData(message, data, length, type, text, resolverForm))
        {
            text.Length = mark; // drop a half-rendered rdata
            Generic(message.Slice(data, length), text);
        }
    }

    private static bool RecordData(ReadOnlySpan<byte> message, int data, int length, ushort type, StringBuilder text, bool resolverForm)
    {
        var rdata = message.Slice(data, length);
        switch (type)
        {
            case 1 when length == 4:
            case 28 when length == 16:
                text.Append(new IPAddress(rdata));
                return true;
            case 2 or 5 or 12 or 39:
                return AppendName(message, data, text, resolverForm) == data + length;
            case 15 when length > 2:
                text.Append(BinaryPrimitives.ReadUInt16BigEndian(rdata)).Append(' ');
                return AppendName(message, data + 2, text, resolverForm) == data + length;
            case 16:
                return CharacterStrings(rdata, text, resolverForm);
            case 6:
                return Soa(message, data, length, text);
            default:
                return false;
        }
    }

    private static bool Soa(ReadOnlySpan<byte> message, int data, int length, StringBuilder text)
    {
        int at = DnsName.Append(message, data, text);
        if (at < 0) return false;
        text.Append(' ');
        at = DnsName.Append(message, at, text);
        if (at < 0 || at + 20 != data + length) return false;
        for (int i = 0; i < 5; i++) text.Append(' ').Append(BinaryPrimitives.ReadUInt32BigEndian(message[(at + 4 * i)..]));
        return true;
    }

    /// <summary>A name with its trailing dot, or as the resolver presents it (without; the root as <c>.</c>).</summary>
    internal static int AppendName(ReadOnlySpan<byte> message, int offset, StringBuilder text, bool resolverForm)
    {
        int start = text.Length;
        int end = DnsName.Append(message, offset, text);
        if (resolverForm && end >= 0 && text.Length - start > 1) text.Length--;
        return end;
    }

    private static bool CharacterStrings(ReadOnlySpan<byte> rdata, StringBuilder text, bool resolverForm)
    {
        int at = 0;
        while (at < rdata.Length)
        {
            int n = rdata[at];
            if (at + 1 + n > rdata.Length) return false;
            if (at > 0) text.Append(' ');
            text.Append('"');
            foreach (var b in rdata.Slice(at + 1, n))
            {
                if (b is (byte)'"' or (byte)'\\') text.Append('\\').Append((char)b);
                else if (resolverForm || b is >= 0x20 and < 0x7f) text.Append((char)b);
                else text.Append('\\').Append(b.ToString("D3"));
            }
            text.Append('"');
            at += 1 + n;
        }
        return true;
    }

    private static void Generic(ReadOnlySpan<byte> rdata, StringBuilder text) =>
        text.Append("\\# ").Append(rdata.Length).Append(rdata.IsEmpty ? "" : " " + Convert.ToHexString(rdata));
}
