using Wirecap.Formats.Ncap;
namespace Wirecap.Ncap;

/// <summary>The <c>icmp</c> family: ICMP and ICMPv6 messages.</summary>
internal sealed class IcmpFamilyRule : INcapRule
{
    public bool Matches(in NcapRecord m) => m.Transport == NcapTransport.Icmp;

    public string KernelExpression => "(icmp or icmp6)";
}

/// <summary>
/// <c>type=</c> or <c>code=</c> with names or numbers. Names mean the ICMPv4 value on IPv4 and the
/// ICMPv6 equivalent on IPv6 (where one exists); numbers are compared as they are.
/// </summary>
internal sealed class IcmpValueRule(IcmpValue[] values, bool isType, bool wanted) : INcapRule
{
    public bool Matches(in NcapRecord m)
    {
        byte actual = isType ? m.IcmpType : m.IcmpCode;
        foreach (var value in values)
            if ((m.Network == NcapNetwork.IPv6 ? value.V6 : value.V4) == actual) return wanted;
        return !wanted;
    }

    public string KernelExpression
    {
        get
        {
            int offset = isType ? 0 : 1;
            var v4 = values.Where(v => v.V4 >= 0).Select(v => $"icmp[{offset}] = {v.V4}");
            var v6 = values.Where(v => v.V6 >= 0).Select(v => $"icmp6[{offset}] = {v.V6}");
            var any = string.Join(" or ", v4.Concat(v6));
            if (any.Length == 0) any = "0 = 1";
            return wanted ? $"({any})" : $"not ({any})";
        }
    }
}

/// <summary>An ICMP type or code as ICMPv4 and ICMPv6 see it (-1 where the name has no meaning).</summary>
internal readonly record struct IcmpValue(int V4, int V6)
{
    /// <summary>ncap's type names, in ncap's order, with the ICMPv6 type of the same meaning.</summary>
    private static readonly (string Name, IcmpValue Value)[] TypeNames =
    [
        ("echoreply", new(0, 129)),
        ("unreach", new(3, 1)),
        ("sourcequench", new(4, -1)),
        ("redirect", new(5, 137)),
        ("echorequest", new(8, 128)),
        ("routeradvert", new(9, 134)),
        ("routersolicit", new(10, 133)),
        ("timxceed", new(11, 3)),
        ("paramproblem", new(12, 4)),
        ("tstamprequest", new(13, -1)),
        ("tstampreply", new(14, -1)),
        ("inforeq", new(15, -1)),
        ("inforeply", new(16, -1)),
        ("maskreq", new(17, -1)),
        ("maskreply", new(18, -1)),
        ("traceroute", new(30, -1)),
    ];

    /// <summary>A number as C's <c>strtoul(text, &amp;end, 0)</c> reads a whole word: <c>0x</c> hex, a leading
    /// <c>0</c> octal, else decimal.</summary>
    public static bool TryParseNumber(string text, out long number)
    {
        number = 0;
        var (digits, radix) = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? (text[2..], 16)
            : text.Length > 1 && text[0] == '0' ? (text[1..], 8) : (text, 10);
        if (digits.Length == 0 || digits.Length > 12) return false;
        foreach (char c in digits)
        {
            int digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : 99;
            if (digit >= radix) return false;
            number = number * radix + digit;
        }
        return true;
    }

    /// <summary>Every type whose name starts with <paramref name="prefix"/> (ncap's abbreviation: <c>echo</c> is
    /// both echo types); empty when none does.</summary>
    public static IcmpValue[] TypesNamed(string prefix) =>
        TypeNames.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(t => t.Value).ToArray();
}
