using System.Text;

namespace Wirecap.Decoding;

/// <summary>A domain name as tcpdump 4.99's <c>fqdn_print</c> prints it, which is not the resolver's presentation form
/// (<see cref="DnsName"/>): each label's bytes as <see cref="AddressText.AppendPrintable"/> shows them (no escaping
/// of dots), each label followed by a dot, compression pointers followed only backwards (<c>&lt;BAD PTR&gt;</c>
/// otherwise), bit-string labels as <c>\[x…/N]</c>, reserved label types named, and what was printed before a
/// fault kept on the line.</summary>
internal static class DnsNamePrinter
{
    private const int MaxNameCharacters = 255; // MAXCDNAME
    private const int Pointer = 0xc0, Extended = 0x40, Reserved = 0x80, BitLabel = 1;

    /// <summary>Appends the name at <paramref name="at"/> of <paramref name="message"/> (the bytes pointers count
    /// from, as far as captured); returns the offset past the name where it stands, or -1 when it could not be
    /// printed to its end.</summary>
    public static int Append(StringBuilder line, ReadOnlySpan<byte> message, int at)
    {
        int length = LabelLength(line, message, at);
        if (length < 0) return -1;
        int maxOffset = at, label = message[at++], end = -1, characters = 0;
        bool compressed = false;
        if ((label & Pointer) != Pointer) end = at + length;
        if (label == 0)
        {
            line.Append('.');
            return end;
        }
        while (label != 0 && at < message.Length)
        {
            switch (label & Pointer)
            {
                case Pointer:
                    if (!compressed) (end, compressed) = (at + 1, true);
                    int offset = ((label << 8) | message[at]) & 0x3fff;
                    if (offset >= maxOffset)
                    {
                        line.Append("<BAD PTR>"); // a pointer must go back, which also ends loops
                        return -1;
                    }
                    maxOffset = at = offset;
                    label = message[at];
                    length = LabelLength(line, message, at);
                    if (length < 0) return -1;
                    at++;
                    continue;
                case Extended:
                    if (!AppendBitLabel(line, message, at)) return -1;
                    break;
                case Reserved:
                    line.Append("<BAD LABEL TYPE>");
                    return -1;
                default:
                    int shown = characters + length <= MaxNameCharacters ? length : Math.Max(0, MaxNameCharacters - characters);
                    if (shown > 0 && !AppendBytes(line, message, at, shown)) return -1;
                    characters += length;
                    break;
            }
            at += length;
            if (characters <= MaxNameCharacters) line.Append('.');
            characters++;
            length = LabelLength(line, message, at);
            if (length < 0) return -1;
            label = message[at++];
            if (!compressed) end += length + 1;
        }
        if (characters > MaxNameCharacters) line.Append("<DOMAIN NAME TOO LONG>");
        return end;
    }

    /// <summary>tcpdump's <c>labellen</c>: a label's length in bytes (a pointer's first byte as it is), or -1 with
    /// the reason printed when the type is unknown or the byte was not captured.</summary>
    private static int LabelLength(StringBuilder line, ReadOnlySpan<byte> message, int at)
    {
        if (at >= message.Length) return -1;
        int label = message[at];
        switch (label & Pointer)
        {
            case Extended:
                int element = label & ~Pointer;
                if (element != BitLabel)
                {
                    line.Append("<ELT ").Append(element).Append('>');
                    return -1;
                }
                if (at + 1 >= message.Length) return -1;
                int bits = message[at + 1] == 0 ? 256 : message[at + 1];
                return (bits + 7) / 8 + 1;
            case Reserved:
                line.Append("<BAD LABEL TYPE>");
                return -1;
            default:
                return label;
        }
    }

    /// <summary>A bit-string label (RFC 2673) from its count byte at <paramref name="at"/>: <c>\[x</c>, the bits in
    /// hex, <c>/</c> and the count.</summary>
    private static bool AppendBitLabel(StringBuilder line, ReadOnlySpan<byte> message, int at)
    {
        if (at >= message.Length) return false;
        int bits = message[at] == 0 ? 256 : message[at];
        int limit = at + 1 + (bits + 3) / 4, p = at + 1, left = bits; // tcpdump's limit counts hex digits as bytes
        line.Append("\\[x");
        for (; p < limit && left > 7; left -= 8, p++)
        {
            if (p >= message.Length) return false;
            line.AppendHexByte(message[p]);
        }
        if (left > 0)
        {
            if (p >= message.Length) return false;
            if (left > 4) line.AppendHexByte((byte)(message[p] & (0xff << (8 - left))));
            else line.Append("0123456789abcdef"[(message[p] >> 4) & (0x0f << (4 - left)) & 0x0f]);
        }
        line.Append('/').Append(bits).Append(']');
        return true;
    }

    private static bool AppendBytes(StringBuilder line, ReadOnlySpan<byte> message, int at, int count)
    {
        int available = Math.Min(count, message.Length - at);
        foreach (byte b in message.Slice(at, available)) line.AppendPrintable(b);
        return available == count;
    }
}
