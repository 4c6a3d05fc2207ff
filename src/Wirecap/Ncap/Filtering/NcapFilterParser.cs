using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Wirecap.Decoding;

namespace Wirecap.Ncap;

/// <summary>Reads ncap's filter specification syntax (see <see cref="NcapFilter"/>).</summary>
internal static class NcapFilterParser
{
    private static readonly string[] DnsTerms = ["flags", "initiator", "target", "opcode", "rcode", "regex", "qname", "qtype"];
    private static readonly string[] IcmpTerms = ["type", "code"];
    private static readonly (string Name, ushort Bit)[] FlagNames =
        [("qr", DnsFlags.QR), ("aa", DnsFlags.AA), ("tc", DnsFlags.TC), ("rd", DnsFlags.RD), ("ra", DnsFlags.RA), ("ad", DnsFlags.AD), ("cd", DnsFlags.CD)];
    private static readonly string[] OpcodeNames = ["query", "", "", "", "notify", "update"];
    private static readonly string[] RcodeNames = ["noerror", "formerr", "servfail", "nxdomain", "notimpl", "refused"];

    public static NcapFilter Parse(string specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        var families = new List<IReadOnlyList<INcapRule>>();
        List<INcapRule>? current = null;
        string? family = null;
        foreach (var (word, position) in Words(specification))
        {
            if (word.IndexOfAny(['=', '#']) < 0)
            {
                family = word.ToLowerInvariant() is "dns" or "icmp" ? word.ToLowerInvariant()
                    : throw new NcapFilterException($"expected a filter family (dns or icmp), found '{word}'", position);
                current = [family == "dns" ? new DnsFamilyRule() : new IcmpFamilyRule()];
                families.Add(current);
                continue;
            }
            if (current is null)
                throw new NcapFilterException($"a term needs a filter family (dns or icmp) before it, found '{word}'", position);
            current.Add(Term(family!, word, position));
        }
        return new NcapFilter(specification, families);
    }

    /// <summary>Words are separated by spaces and tabs, as ncap splits them.</summary>
    private static IEnumerable<(string Word, int Position)> Words(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] is ' ' or '\t') i++;
            int start = i;
            while (i < text.Length && text[i] is not (' ' or '\t')) i++;
            if (i > start) yield return (text[start..i], start);
        }
    }

    private static INcapRule Term(string family, string word, int position)
    {
        // ncap takes the first '=' as the separator, and '#' only in a word without one.
        int separator = word.IndexOf('=') is >= 0 and var equals ? equals : word.IndexOf('#');
        if (separator == 0 || separator == word.Length - 1)
            throw new NcapFilterException($"expected term=value or term#value, found '{word}'", position);
        bool wanted = word[separator] == '=';
        string value = word[(separator + 1)..];
        int valuePosition = position + separator + 1;
        string term = Resolve(word[..separator], family == "dns" ? DnsTerms : IcmpTerms, $"{family} term", position);
        return (family, term) switch
        {
            ("dns", "flags") => new DnsFlagsRule(Flags(value, valuePosition), wanted),
            ("dns", "initiator") => new DnsPartyRule(Addresses(value, valuePosition), initiator: true, wanted),
            ("dns", "target") => new DnsPartyRule(Addresses(value, valuePosition), initiator: false, wanted),
            ("dns", "opcode") => new DnsOpcodeRule(Codes(value, valuePosition, OpcodeNames, "opcode"), wanted),
            ("dns", "rcode") => new DnsRcodeRule(Codes(value, valuePosition, RcodeNames, "rcode"), wanted),
            ("dns", "regex") => new DnsRegexRule(Regex(value, valuePosition), wanted),
            ("dns", "qname") => Positive(new DnsQnameRule(value), wanted, term, position),
            ("dns", "qtype") => Positive(new DnsQtypeRule(Qtype(value, valuePosition)), wanted, term, position),
            (_, "type") => new IcmpValueRule(IcmpTypes(value, valuePosition), isType: true, wanted),
            _ => new IcmpValueRule([IcmpNumber(value, valuePosition, "code")], isType: false, wanted),
        };
    }

    private static INcapRule Positive(INcapRule rule, bool wanted, string term, int position) =>
        wanted ? rule : throw new NcapFilterException($"'{term}' takes only '=' (ncap defines no negation for it)", position);

    /// <summary>A term may be abbreviated to any prefix; as in ncap, the first term in ncap's order that it
    /// abbreviates is meant (<c>r</c> is rcode, <c>q</c> qname).</summary>
    private static string Resolve(string prefix, string[] names, string what, int position) =>
        names.FirstOrDefault(n => n.StartsWith(prefix, StringComparison.Ordinal))
        ?? throw new NcapFilterException($"unknown {what} '{prefix}' ({string.Join(", ", names)})", position);

    private static IEnumerable<(string Item, int Position)> Items(string value, int position)
    {
        int offset = 0;
        foreach (var item in value.Split(','))
        {
            if (item.Length == 0) throw new NcapFilterException("empty list item", position + offset);
            yield return (item, position + offset);
            offset += item.Length + 1;
        }
    }

    /// <summary>Flag names are whole two-letter names (ncap compares the first two characters).</summary>
    private static ushort Flags(string value, int position)
    {
        ushort flags = 0;
        foreach (var (item, at) in Items(value, position))
        {
            int index = Array.FindIndex(FlagNames, f => f.Name == item);
            flags |= index >= 0 ? FlagNames[index].Bit
                : throw new NcapFilterException($"unknown DNS flag '{item}' ({string.Join(", ", FlagNames.Select(f => f.Name))})", at);
        }
        return flags;
    }

    private static IPAddress[] Addresses(string value, int position) =>
        Items(value, position).Select(i => IPAddress.TryParse(i.Item, out var a)
            ? a : throw new NcapFilterException($"unparseable address '{i.Item}'", i.Position)).ToArray();

    /// <summary>Opcode or rcode names, each standing for every name it abbreviates (ncap's rule), or numbers 0..15.</summary>
    private static int[] Codes(string value, int position, string[] names, string what) =>
        Items(value, position).SelectMany(i =>
        {
            if (char.IsAsciiDigit(i.Item[0]))
                return int.TryParse(i.Item, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number <= 15
                    ? [number] : throw new NcapFilterException($"invalid numeric {what} '{i.Item}' (0..15)", i.Position);
            var codes = Enumerable.Range(0, names.Length).Where(c => names[c].Length > 0 && names[c].StartsWith(i.Item, StringComparison.Ordinal)).ToArray();
            return codes.Length > 0 ? codes
                : throw new NcapFilterException($"unknown {what} '{i.Item}' ({string.Join(", ", names.Where(n => n.Length > 0))})", i.Position);
        }).Distinct().ToArray();

    /// <summary>A regex and its options after the first '/' (ncap cuts at the first '/'; 'i' ignores case).</summary>
    private static Regex Regex(string value, int position)
    {
        int slash = value.IndexOf('/', value.Length > 0 && value[0] == '/' ? 1 : 0);
        string pattern = slash > 0 ? value[..slash].TrimStart('/') : value.TrimStart('/');
        string options = slash > 0 ? value[(slash + 1)..] : "";
        var regexOptions = RegexOptions.Multiline | RegexOptions.CultureInvariant;
        foreach (char o in options)
            regexOptions |= o == 'i' ? RegexOptions.IgnoreCase : throw new NcapFilterException($"unknown regex option '{o}'", position + slash + 1);
        try
        {
            return new Regex(pattern, regexOptions, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw new NcapFilterException($"bad regex: {e.Message}", position);
        }
    }

    private static ushort Qtype(string value, int position) =>
        DnsTypes.TryParseType(value, out var type) ? type : throw new NcapFilterException($"unknown qtype '{value}'", position);

    /// <summary>ICMP type names, each standing for every name it abbreviates (<c>echo</c>: echoreply and
    /// echorequest), or numbers as C reads them (0x hex, 0 octal).</summary>
    private static IcmpValue[] IcmpTypes(string value, int position) =>
        Items(value, position).SelectMany(i =>
        {
            if (char.IsAsciiDigit(i.Item[0])) return [IcmpNumber(i.Item, i.Position, "type")];
            var named = IcmpValue.TypesNamed(i.Item);
            return named.Length > 0 ? named : throw new NcapFilterException($"unknown ICMP type '{i.Item}' (a name or a number)", i.Position);
        }).ToArray();

    /// <summary>A number compared with the ICMP byte as it is; one past 255 matches no message, as in ncap.</summary>
    private static IcmpValue IcmpNumber(string text, int position, string what) =>
        IcmpValue.TryParseNumber(text, out long number)
            ? number <= 255 ? new IcmpValue((int)number, (int)number) : new IcmpValue(-1, -1)
            : throw new NcapFilterException($"invalid ICMP {what} '{text}' (a number: decimal, 0x hex or 0 octal)", position);
}
