using System.Collections.Frozen;

namespace Wirecap.Decoding;

/// <summary>Mnemonics of DNS RR types and classes, both directions.</summary>
public static class DnsTypes
{
    private static readonly FrozenDictionary<string, ushort> ByName = new Dictionary<string, ushort>(StringComparer.OrdinalIgnoreCase)
    {
        ["A"] = 1, ["NS"] = 2, ["MD"] = 3, ["MF"] = 4, ["CNAME"] = 5, ["SOA"] = 6, ["MB"] = 7, ["MG"] = 8, ["MR"] = 9,
        ["NULL"] = 10, ["WKS"] = 11, ["PTR"] = 12, ["HINFO"] = 13, ["MINFO"] = 14, ["MX"] = 15, ["TXT"] = 16, ["RP"] = 17,
        ["AFSDB"] = 18, ["X25"] = 19, ["ISDN"] = 20, ["RT"] = 21, ["NSAP"] = 22, ["NSAP-PTR"] = 23, ["SIG"] = 24,
        ["KEY"] = 25, ["PX"] = 26, ["GPOS"] = 27, ["AAAA"] = 28, ["LOC"] = 29, ["NXT"] = 30, ["EID"] = 31,
        ["NIMLOC"] = 32, ["SRV"] = 33, ["ATMA"] = 34, ["NAPTR"] = 35, ["KX"] = 36, ["CERT"] = 37, ["A6"] = 38,
        ["DNAME"] = 39, ["SINK"] = 40, ["OPT"] = 41, ["APL"] = 42, ["DS"] = 43, ["SSHFP"] = 44, ["IPSECKEY"] = 45,
        ["RRSIG"] = 46, ["NSEC"] = 47, ["DNSKEY"] = 48, ["DHCID"] = 49, ["NSEC3"] = 50, ["NSEC3PARAM"] = 51,
        ["TLSA"] = 52, ["HIP"] = 55, ["NINFO"] = 56, ["RKEY"] = 57, ["CDS"] = 59, ["CDNSKEY"] = 60, ["SVCB"] = 64,
        ["HTTPS"] = 65, ["SPF"] = 99, ["UINFO"] = 100, ["UID"] = 101, ["GID"] = 102, ["UNSPEC"] = 103,
        ["TKEY"] = 249, ["TSIG"] = 250, ["IXFR"] = 251, ["AXFR"] = 252, ["MAILB"] = 253, ["MAILA"] = 254,
        ["ANY"] = 255, ["URI"] = 256, ["CAA"] = 257,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<ushort, string> ByValue = ByName.ToFrozenDictionary(p => p.Value, p => p.Key.ToUpperInvariant());

    /// <summary>The type's value from its mnemonic (case-insensitive) or from <c>TYPEnnn</c> (RFC 3597).</summary>
    public static bool TryParseType(string text, out ushort type)
    {
        if (ByName.TryGetValue(text, out type)) return true;
        return text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) && ushort.TryParse(text.AsSpan(4), out type);
    }

    /// <summary>The type's mnemonic, or <c>TYPEnnn</c>.</summary>
    public static string TypeName(ushort type) => ByValue.TryGetValue(type, out var name) ? name : $"TYPE{type}";

    /// <summary>The class mnemonic (IN, CH, HS, NONE, ANY) or <c>CLASSnnn</c>.</summary>
    public static string ClassName(ushort @class) => @class switch
    {
        1 => "IN",
        3 => "CH",
        4 => "HS",
        254 => "NONE",
        255 => "ANY",
        _ => $"CLASS{@class}",
    };

    /// <summary>Opcode mnemonic as dig prints it.</summary>
    public static string OpcodeName(int opcode) => opcode switch
    {
        0 => "QUERY",
        1 => "IQUERY",
        2 => "STATUS",
        4 => "NOTIFY",
        5 => "UPDATE",
        _ => $"OPCODE{opcode}",
    };

    /// <summary>Rcode mnemonic as dig prints it.</summary>
    public static string RcodeName(int rcode) => rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        _ => $"RCODE{rcode}",
    };
}
