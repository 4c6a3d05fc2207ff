namespace Wirecap.Filter.Syntax;

/// <summary>
/// Lexical shapes of names, numbers and addresses: each method returns how many characters
/// from <c>start</c> form that kind of token (0 when none).
/// </summary>
internal static class AddressSyntax
{
    public static int NameLength(string s, int start)
    {
        if (start >= s.Length || !char.IsAsciiLetterOrDigit(s[start]))
            return 0;
        var i = start + 1;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '-' or '_' or '.'))
            i++;
        // A name ends with a letter, digit or dot.
        while (s[i - 1] is '-' or '_')
            i--;
        return i - start;
    }

    public static int NumberLength(string s, int start)
    {
        if (start + 2 < s.Length + 0 && s[start] == '0' && (s[start + 1] == 'x' || s[start + 1] == 'X'))
        {
            var hex = HexRun(s, start + 2, int.MaxValue);
            if (hex > 0)
                return 2 + hex;
        }
        return DigitRun(s, start);
    }

    public static int DottedV4Length(string s, int start)
    {
        var i = start;
        var parts = 0;
        while (parts < 4)
        {
            var digits = DigitRun(s, i);
            if (digits == 0)
                break;
            i += digits;
            parts++;
            if (parts < 4 && i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
                i++;
            else
                break;
        }
        return parts >= 2 ? i - start : 0;
    }

    public static int MacLength(string s, int start)
    {
        var best = 0;
        foreach (var separator in ":-.")
            best = Math.Max(best, SeparatedGroups(s, start, separator, 6, 1, 2));
        best = Math.Max(best, SeparatedGroups(s, start, '.', 3, 4, 4));
        if (HexRun(s, start, 12) == 12 && !(start + 12 < s.Length && Uri.IsHexDigit(s[start + 12])))
            best = Math.Max(best, 12);
        return best;
    }

    public static bool StartsV6(string s, int start) => V6Length(s, start) > 0;

    public static int V6Length(string s, int start)
    {
        var end = start;
        while (end < s.Length && (Uri.IsHexDigit(s[end]) || s[end] is ':' or '.'))
            end++;
        for (var length = end - start; length >= 2; length--)
        {
            if (IsV6(s.AsSpan(start, length)))
                return length;
        }
        return 0;
    }

    /// <summary>Lexical IPv6 form: hex groups, at most one <c>::</c>, an optional dotted-quad tail.</summary>
    private static bool IsV6(ReadOnlySpan<char> text)
    {
        if (text.IndexOf(':') < 0)
            return false;
        var doubleColon = text.IndexOf("::".AsSpan());
        if (doubleColon >= 0 && text[(doubleColon + 1)..].IndexOf("::".AsSpan()) >= 0)
            return false;
        var groups = 0;
        var i = 0;
        var hasV4Tail = false;
        if (text.StartsWith("::".AsSpan()))
            i = 2;
        else if (text[0] == ':')
            return false;
        while (i < text.Length)
        {
            var digits = 0;
            while (i + digits < text.Length && Uri.IsHexDigit(text[i + digits]))
                digits++;
            if (i + digits < text.Length && text[i + digits] == '.')
            {
                if (!IsDottedQuad(text[i..]))
                    return false;
                hasV4Tail = true;
                groups += 2;
                break;
            }
            if (digits == 0 || digits > 4)
                return false;
            groups++;
            i += digits;
            if (i == text.Length)
                break;
            if (text[i] != ':')
                return false;
            i++;
            if (i < text.Length && text[i] == ':')
            {
                i++;
                if (i == text.Length)
                    break;
            }
            else if (i == text.Length)
                return false;
        }
        _ = hasV4Tail;
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        var i = 0;
        while (i < text.Length)
        {
            var digits = 0;
            while (i + digits < text.Length && char.IsAsciiDigit(text[i + digits]))
                digits++;
            if (digits == 0)
                return false;
            parts++;
            i += digits;
            if (i == text.Length)
                break;
            if (text[i] != '.')
                return false;
            i++;
        }
        return parts == 4 && text[^1] != '.';
    }

    private static int SeparatedGroups(string s, int start, char separator, int groups, int minDigits, int maxDigits)
    {
        var i = start;
        for (var g = 0; g < groups; g++)
        {
            var digits = HexRun(s, i, maxDigits);
            if (digits < minDigits)
                return 0;
            i += digits;
            if (g < groups - 1)
            {
                if (i >= s.Length || s[i] != separator)
                    return 0;
                i++;
            }
        }
        if (i < s.Length && Uri.IsHexDigit(s[i]))
            return 0;
        return i - start;
    }

    private static int HexRun(string s, int start, int max)
    {
        var i = start;
        while (i < s.Length && i - start < max && Uri.IsHexDigit(s[i]))
            i++;
        return i - start;
    }

    private static int DigitRun(string s, int start)
    {
        var i = start;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
            i++;
        return i - start;
    }
}
