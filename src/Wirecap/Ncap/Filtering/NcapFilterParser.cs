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
            if (word is "dns" or "icmp")
            {
                family = word;
                current = [word == "dns" ? new DnsFamilyRule() : new IcmpFamilyRule()];
                families.Add(current);
                continue;
            }
            if (current is null)
                throw new NcapFilterException($"expected a filter family (dns or icmp), found '{word}'", position);
            current.Add(Term(family!, word, position));
        }
        return new NcapFilter(specification, families);
    }

    private static IEnumerable<(string Word, int Position)> Words(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            int start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            if (i > start) yield return (text[start..i], start);
        }
    }

    private static INcapRule Term(string family, string word, int position)
    {
        int separator = word.IndexOfAny(['=', '#']);
        if (separator <= 0 || separator == word.Length - 1)
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
            ("dns", "opcode") => new DnsOpcodeRule(Codes(value, valuePosition, OpcodeNames, 15, "opcode"), wanted),
            ("dns", "rcode") => new DnsRcodeRule(Codes(value, valuePosition, RcodeNames, 15, "rcode"), wanted),
            ("dns", "regex") => new DnsRegexRule(Regex(value, valuePosition), wanted),
            ("dns", "qname") => Positive(new DnsQnameRule(value), wanted, term, position),
            ("dns", "qtype") => Positive(new DnsQtypeRule(Qtype(value, valuePosition)), wanted, term, position),
            (_, "type") => new IcmpValueRule(IcmpValues(value, valuePosition, isType: true), isType: true, wanted),
            _ => new IcmpValueRule(IcmpValues(value, valuePosition, isType: false), isType: false, wanted),
        };
    }

    private static INcapRule Positive(INcapRule rule, bool wanted, string term, int position) =>
        wanted ? rule : throw new NcapFilterException($"'{term}' takes only '=' (ncap defines no negation for it)", position);

    /// <summary>A term or value may be abbreviated to any unambiguous prefix, as ncap allows.</summary>
    private static string Resolve(string prefix, IEnumerable<string> names, string what, int position)
    {
        var exact = names.FirstOrDefault(n => n == prefix);
        if (exact is not null) return exact;
        var candidates = names.Where(n => n.Length > 0 && n.StartsWith(prefix, StringComparison.Ordinal)).Distinct().ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new NcapFilterException($"unknown {what} '{prefix}'", position),
            _ => throw new NcapFilterException($"ambiguous {what} '{prefix}' ({string.Join(", ", candidates)})", position),
        };
    }

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

    private static ushort Flags(string value, int position)
    {
        ushort flags = 0;
        foreach (var (item, at) in Items(value, position))
        {
            var name = Resolve(item, FlagNames.Select(f => f.Name), "DNS flag", at);
            flags |= FlagNames.First(f => f.Name == name).Bit;
        }
        return flags;
    }

    private static IPAddress[] Addresses(string value, int position) =>
        Items(value, position).Select(i => IPAddress.TryParse(i.Item, out var a)
            ? a : throw new NcapFilterException($"unparseable address '{i.Item}'", i.Position)).ToArray();

    private static int[] Codes(string value, int position, string[] names, int max, string what) =>
        Items(value, position).Select(i =>
        {
            if (int.TryParse(i.Item, out int number))
                return number >= 0 && number <= max ? number : throw new NcapFilterException($"invalid numeric {what} {number} (0..{max})", i.Position);
            return Array.IndexOf(names, Resolve(i.Item, names, what, i.Position));
        }).Distinct().ToArray();

    private static Regex Regex(string value, int position)
    {
        int slash = value.LastIndexOf('/');
        string pattern = slash > 0 ? value[..slash] : value;
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

    private static IcmpValue[] IcmpValues(string value, int position, bool isType) =>
        Items(value, position).Select(i => IcmpValue.TryParse(i.Item, isType, out var v)
            ? v : throw new NcapFilterException($"unknown ICMP {(isType ? "type" : "code")} '{i.Item}' (a name or 0..255)", i.Position)).ToArray();
}
