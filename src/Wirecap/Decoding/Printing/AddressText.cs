using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>Appends addresses the way tcpdump -n prints them, without allocating.</summary>
internal static class AddressText
{
    public static StringBuilder AppendIPv4(this StringBuilder text, ReadOnlySpan<byte> address) =>
        text.Append(address[0]).Append('.').Append(address[1]).Append('.').Append(address[2]).Append('.').Append(address[3]);

    public static StringBuilder AppendIp(this StringBuilder text, ReadOnlySpan<byte> address) =>
        address.Length == 4 ? text.AppendIPv4(address) : text.AppendIPv6(address);

    /// <summary>RFC 5952 text (as inet_ntop): lowercase hex, the longest run of two or more zero
    /// groups as "::", IPv4-mapped addresses in dotted form.</summary>
    public static StringBuilder AppendIPv6(this StringBuilder text, ReadOnlySpan<byte> address)
    {
        Span<ushort> groups = stackalloc ushort[8];
        for (int i = 0; i < 8; i++) groups[i] = BinaryPrimitives.ReadUInt16BigEndian(address[(i * 2)..]);
        int bestStart = -1, bestLength = 0;
        for (int i = 0; i < 8;)
        {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength && j - i >= 2) (bestStart, bestLength) = (i, j - i);
            i = j;
        }
        bool mapped = bestStart == 0 && bestLength == 5 && groups[5] == 0xFFFF;
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.Append("::");
                i += bestLength - 1;
                continue;
            }
            if (mapped && i == 6)
                return text.Append(':').AppendIPv4(address[12..]);
            if (i > 0 && i != bestStart + bestLength) text.Append(':');
            text.AppendHex(groups[i]);
        }
        return text;
    }

    public static StringBuilder AppendMac(this StringBuilder text, ReadOnlySpan<byte> address)
    {
        for (int i = 0; i < address.Length; i++)
        {
            if (i > 0) text.Append(':');
            text.AppendHexByte(address[i]);
        }
        return text;
    }

    public static StringBuilder AppendHex(this StringBuilder text, int value)
    {
        Span<char> digits = stackalloc char[8];
        int n = 0;
        do { digits[n++] = "0123456789abcdef"[value & 0xF]; value >>>= 4; } while (value != 0);
        while (n > 0) text.Append(digits[--n]);
        return text;
    }

    /// <summary>Eight hex digits, zero-padded (C's <c>%08x</c>).</summary>
    public static StringBuilder AppendHex8(this StringBuilder text, uint value) => text.AppendHexDigits(value, 8);

    /// <summary><paramref name="digits"/> hex digits, zero-padded (C's <c>%0Nx</c> for a value that fits).</summary>
    public static StringBuilder AppendHexDigits(this StringBuilder text, uint value, int digits)
    {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) text.Append("0123456789abcdef"[(int)(value >> shift) & 0xF]);
        return text;
    }

    public static StringBuilder AppendHexByte(this StringBuilder text, byte value) =>
        text.Append("0123456789abcdef"[value >> 4]).Append("0123456789abcdef"[value & 0xF]);

    /// <summary>tcpdump's dump lines: hex and ASCII (<c>\n\t0x0000:  6162 ...  ab..</c>, its default print of
    /// what it cannot decode) or hex only (<c>-x</c>).</summary>
    public static StringBuilder AppendHexDump(this StringBuilder text, ReadOnlySpan<byte> data, bool ascii = true, string indent = "\n\t")
    {
        for (int line = 0; line < data.Length; line += 16)
        {
            var chunk = data.Slice(line, Math.Min(16, data.Length - line));
            text.Append(indent).Append("0x");
            if (line > 0xffff) text.AppendHex(line >> 16); // %04x grows past four digits
            text.AppendHexByte((byte)(line >> 8)).AppendHexByte((byte)line).Append(": ");
            int written = 0;
            for (int i = 0; i < chunk.Length; i += 2)
            {
                text.Append(' ').AppendHexByte(chunk[i]);
                written += 3;
                if (i + 1 < chunk.Length) { text.AppendHexByte(chunk[i + 1]); written += 2; }
            }
            if (!ascii) continue;
            text.Append(' ', 40 - written + 2);
            foreach (byte b in chunk) text.Append(b is > 0x20 and < 0x7F ? (char)b : '.'); // tcpdump shows graphic characters only
        }
        return text;
    }

    /// <summary>One byte of a string as tcpdump's <c>fn_print_char</c> shows it: bytes past ASCII as <c>M-</c> and the
    /// low seven bits, control characters as <c>^</c> and the letter (<c>^@</c> for zero, <c>^?</c> for DEL).</summary>
    public static StringBuilder AppendPrintable(this StringBuilder text, byte b)
    {
        if (b >= 0x80)
        {
            text.Append("M-");
            b &= 0x7f;
        }
        if (b is < 0x20 or 0x7f) return text.Append('^').Append((char)(b ^ 0x40));
        return text.Append((char)b);
    }
}
