using Wirecap.Formats.Ncap;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Wirecap.Decoding;

namespace Wirecap.Ncap;

/// <summary>The <c>dns</c> family itself: DNS over UDP on port 53 or 5353 (ncap's definition; DNS over TCP needs stream reassembly and is not matched).</summary>
internal sealed class DnsFamilyRule : INcapRule
{
    public bool Matches(in NcapRecord m) =>
        m.Transport == NcapTransport.Udp && (IsDnsPort(m.SourcePort) || IsDnsPort(m.DestinationPort));

    public string KernelExpression => "udp port (53 or 5353)";

    private static bool IsDnsPort(ushort port) => port is 53 or 5353;
}

/// <summary><c>flags=qr,aa,...</c>: any of the listed header flags set (as ncaptool); <c>flags#...</c>: none of them set.</summary>
internal sealed class DnsFlagsRule(ushort flags, bool wanted) : INcapRule
{
    public bool Matches(in NcapRecord m) =>
        DnsMessageCheck.TryReadFlags(m.Payload, out ushort actual) && ((actual & flags) != 0) == wanted;

    public string? KernelExpression => null;
}

/// <summary><c>opcode=query,notify,update</c> (or a number): the opcode is (or with <c>#</c>, is not) in the set.</summary>
internal sealed class DnsOpcodeRule(int[] opcodes, bool wanted) : INcapRule
{
    public bool Matches(in NcapRecord m) =>
        DnsMessageCheck.TryReadFlags(m.Payload, out ushort flags) && opcodes.Contains((flags >> 11) & 0xf) == wanted;

    // udp[] accessors only reach IPv4 in libpcap, so IPv6 messages pass the prefilter untouched.
    public string KernelExpression =>
        $"(ip6 or {(wanted ? "" : "not ")}({string.Join(" or ", opcodes.Select(o => $"(udp[10] >> 3) & 0xf = {o}"))}))";
}

/// <summary><c>rcode=noerror,nxdomain,...</c>: the response code is (or with <c>#</c>, is not) in the set. Checked on
/// responses only, as ncap documents: a query matches neither form.</summary>
internal sealed class DnsRcodeRule(int[] rcodes, bool wanted) : INcapRule
{
    public bool Matches(in NcapRecord m) =>
        DnsMessageCheck.TryReadFlags(m.Payload, out ushort flags) && (flags & DnsFlags.QR) != 0
        && rcodes.Contains(flags & 0xf) == wanted;

    public string KernelExpression =>
        $"(ip6 or (udp[10] & 0x80 != 0 and {(wanted ? "" : "not ")}({string.Join(" or ", rcodes.Select(r => $"udp[11] & 0xf = {r}"))})))";
}

/// <summary>
/// <c>initiator=addr,...</c> / <c>target=addr,...</c>, as ncaptool: the initiator is the message's source address
/// and the target its destination, whatever the direction (so <c>initiator=</c> a client selects its queries, not
/// the responses it receives). An address of the other IP version never matches (so <c>#</c> accepts it).
/// </summary>
internal sealed class DnsPartyRule(IPAddress[] addresses, bool initiator, bool wanted) : INcapRule
{
    private readonly byte[][] _addressBytes = addresses.Select(a => a.GetAddressBytes()).ToArray();

    public bool Matches(in NcapRecord m)
    {
        var party = initiator ? m.Source : m.Destination;
        foreach (var bytes in _addressBytes)
            if (party.SequenceEqual(bytes)) return wanted;
        return !wanted;
    }

    public string KernelExpression =>
        $"{(wanted ? "" : "not ")}{(initiator ? "src" : "dst")} host ({string.Join(" or ", addresses.Select(a => a.ToString()))})";
}

/// <summary><c>qname=name</c>: the first question's name, compared case-insensitively with the name as libbind
/// presents it (no trailing dot; the root is <c>.</c>), in a payload that parses whole.</summary>
internal sealed class DnsQnameRule(string name) : INcapRule
{
    public bool Matches(in NcapRecord m)
    {
        if (!DnsMessageCheck.ParsesWhole(m.Payload) || !DnsHeader.TryRead(m.Payload, out var header) || header.QuestionCount == 0)
            return false;
        // libbind's name has no trailing dot, so "example.com." never equals it (the root "." does).
        return !(name.Length > 1 && name.EndsWith('.')) && DnsName.EqualsIgnoreCase(m.Payload, DnsHeader.Length, name);
    }

    public string? KernelExpression => null;
}

/// <summary><c>qtype=A|AAAA|...</c>: the first question's type, in a payload that parses whole.</summary>
internal sealed class DnsQtypeRule(ushort type) : INcapRule
{
    public bool Matches(in NcapRecord m)
    {
        if (!DnsMessageCheck.ParsesWhole(m.Payload) || !DnsHeader.TryRead(m.Payload, out var header) || header.QuestionCount == 0)
            return false;
        int end = DnsName.Skip(m.Payload, DnsHeader.Length);
        return end >= 0 && System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(m.Payload[end..]) == type;
    }

    public string? KernelExpression => null;
}

/// <summary><c>regex=RE/i</c>: the regex finds (or with <c>#</c>, finds in none) one of the message's entries, as
/// ncaptool tries them one at a time: each question's name, each record in zone-file form. A payload that does not
/// parse whole matches neither form.</summary>
internal sealed class DnsRegexRule(Regex regex, bool wanted) : INcapRule
{
    private readonly StringBuilder _text = new(512);

    public bool Matches(in NcapRecord m)
    {
        if (!DnsMessageCheck.ParsesWhole(m.Payload)) return false;
        try
        {
            return DnsPresentation.AnyEntry(m.Payload, _text, regex) == wanted;
        }
        catch (RegexMatchTimeoutException)
        {
            return !wanted; // a pathological pattern counts as "no match" rather than stalling collection
        }
    }

    public string? KernelExpression => null;
}
