using System.Text;

namespace Wirecap.Decoding;

/// <summary>Reading possibly compressed domain names (RFC 1035 §4.1.4) without trusting the message.</summary>
public static class DnsName
{
    private const int MaxPointers = 64;
    private const int MaxNameLength = 255;
    /// <summary>Longest presentation form: every byte escaped as \DDD.</summary>
    private const int MaxPresentationLength = MaxNameLength * 4 + 1;

    /// <summary>
    /// Walks the name starting at <paramref name="offset"/>; returns the offset just past it in the
    /// message (after the first pointer, if any), or -1 when the name is malformed (out of bounds,
    /// pointer loop, over 255 bytes, reserved label type).
    /// </summary>
    public static int Skip(ReadOnlySpan<byte> message, int offset) => Walk(message, offset, [], out _);

    /// <summary>Appends the name at <paramref name="offset"/> in presentation form (with the trailing dot) and returns the offset past it, or -1.</summary>
    public static int Append(ReadOnlySpan<byte> message, int offset, StringBuilder text)
    {
        Span<char> buffer = stackalloc char[MaxPresentationLength];
        int end = Walk(message, offset, buffer, out int written);
        if (end >= 0) text.Append(buffer[..written]);
        return end;
    }

    /// <summary>Case-insensitive comparison of the name at <paramref name="offset"/> with <paramref name="name"/> (trailing dot optional); allocation-free.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> message, int offset, ReadOnlySpan<char> name)
    {
        Span<char> buffer = stackalloc char[MaxPresentationLength];
        if (Walk(message, offset, buffer, out int written) < 0) return false;
        var actual = buffer[..written];
        if (!name.EndsWith(".")) actual = actual[..^1];
        return actual.Equals(name, StringComparison.OrdinalIgnoreCase);
    }

    private static int Walk(ReadOnlySpan<byte> message, int offset, Span<char> text, out int written)
    {
        int end = -1, pointers = 0, length = 0;
        written = 0;
        while (true)
        {
            if ((uint)offset >= (uint)message.Length) return -1;
            int label = message[offset];
            if (label == 0)
            {
                if (end < 0) end = offset + 1;
                if (!text.IsEmpty && written == 0) text[written++] = '.'; // the root
                return end;
            }
            switch (label & 0xc0)
            {
                case 0xc0:
                    if (offset + 1 >= message.Length || ++pointers > MaxPointers) return -1;
                    if (end < 0) end = offset + 2;
                    offset = ((label & 0x3f) << 8) | message[offset + 1];
                    continue;
                case 0x00:
                    if (offset + 1 + label > message.Length) return -1;
                    length += label + 1;
                    if (length + 1 > MaxNameLength) return -1;
                    if (!text.IsEmpty) written = AppendLabel(message.Slice(offset + 1, label), text, written);
                    offset += 1 + label;
                    continue;
                default:
                    return -1; // 0x40 and 0x80 label types are not in use
            }
        }
    }

    private static int AppendLabel(ReadOnlySpan<byte> label, Span<char> text, int at)
    {
        foreach (var b in label)
        {
            if (b is (byte)'.' or (byte)'\\')
            {
                text[at++] = '\\';
                text[at++] = (char)b;
            }
            else if (b is > 0x20 and < 0x7f) text[at++] = (char)b;
            else
            {
                text[at++] = '\\';
                text[at++] = (char)('0' + b / 100);
                text[at++] = (char)('0' + b / 10 % 10);
                text[at++] = (char)('0' + b % 10);
            }
        }
        text[at++] = '.';
        return at;
    }
}
