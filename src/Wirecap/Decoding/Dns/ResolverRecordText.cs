using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>
/// A resource record as glibc's <c>ns_sprintrr</c> renders it with origin <c>.</c>, the text ncaptool's
/// <c>regex=</c> term matches: the owner without its trailing dot, tabs to column 24, the TTL in
/// <c>ns_format_ttl</c>'s units (<c>5M</c>, <c>1h30m</c>), class and type, a tab to column 16, then the data.
/// The data of A, AAAA, NS, CNAME, PTR, DNAME, MX and TXT records is rendered as glibc does; other types in the
/// zone-file form of <see cref="DnsPresentation"/>.
/// </summary>
internal static class ResolverRecordText
{
    /// <summary>Appends the record at <paramref name="offset"/>; returns the offset past it, or -1 when it does not parse.</summary>
    public static int Append(ReadOnlySpan<byte> message, int offset, StringBuilder text)
    {
        int start = text.Length;
        int end = DnsPresentation.AppendName(message, offset, text, resolverForm: true);
        if (end < 0 || end + 10 > message.Length) return -1;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[end..]);
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(end + 2)..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(end + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(message[(end + 8)..]);
        int data = end + 10;
        if (data + length > message.Length) return -1;
        bool spaced = AddTab(text, text.Length - start, 24, spaced: false);
        int column = text.Length;
        AppendTtl(text, ttl);
        text.Append(' ').Append(@class switch { 1 => "IN", 3 => "CHAOS", 4 => "HS", 254 => "NONE", 255 => "ANY", _ => @class.ToString() })
            .Append(' ').Append(DnsTypes.TypeName(type) is var name && name.StartsWith("TYPE", StringComparison.Ordinal) ? type.ToString() : name);
        if (length == 0) return data;
        AddTab(text, text.Length - column, 16, spaced);
        DnsPresentation.AppendRecordData(message, data, length, type, text, resolverForm: true);
        return data + length;
    }

    /// <summary>glibc's <c>addtab</c>: tabs to the column, or two spaces once past it (and from then on).</summary>
    private static bool AddTab(StringBuilder text, int length, int target, bool spaced)
    {
        if (spaced || length >= target - 1)
        {
            text.Append("  ");
            return true;
        }
        text.Append('\t', (target - length - 1) / 8 + 1);
        return false;
    }

    /// <summary>glibc's <c>ns_format_ttl</c>: weeks, days, hours, minutes, seconds, each when not zero (seconds
    /// also when all are); lowercase when more than one unit is printed.</summary>
    private static void AppendTtl(StringBuilder text, uint ttl)
    {
        int start = text.Length, units = 0;
        uint seconds = ttl % 60, minutes = ttl / 60 % 60, hours = ttl / 3600 % 24, days = ttl / 86400 % 7, weeks = ttl / 604800;
        if (weeks != 0) { text.Append(weeks).Append('W'); units++; }
        if (days != 0) { text.Append(days).Append('D'); units++; }
        if (hours != 0) { text.Append(hours).Append('H'); units++; }
        if (minutes != 0) { text.Append(minutes).Append('M'); units++; }
        if (seconds != 0 || units == 0) { text.Append(seconds).Append('S'); units++; }
        if (units > 1)
            for (int i = start; i < text.Length; i++) text[i] = char.ToLowerInvariant(text[i]);
    }
}
