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

/// <summary><c>flags=qr,aa,...</c>: all listed header flags set; <c>flags#...</c>: none of them set.</summary>
internal sealed class DnsFlagsRule(ushort flags, bool wanted) : INcapRule
{
    public bool Matches(in NcapRecord m)
    {
        if (!DnsHeader.TryRead(m.Payload, out var header)) return false;
        return wanted ? (header.Flags & flags) == flags : (header.Flags & flags) == 0;
    }

    public string? KernelExpression => null;
}

/// <summary><c>opcode=query,notify,update</c> (or a number): the opcode is (or with <c>#</c>, is not) in the set.</summary>
internal sealed class DnsOpcodeRule(int[] opcodes, bool wanted) : INcapRule
{
    public bool Matches(in NcapRecord m) =>
        DnsHeader.TryRead(m.Payload, out var header) && opcodes.Contains(header.Opcode) == wanted;

    // udp[] accessors only reach IPv4 in libpcap, so IPv6 messages pass the prefilter untouched.
    public string KernelExpression =>
        $"(ip6 or {(wanted ? "" : "not ")}({string.Join(" or ", opcodes.Select(o => $"(udp[10] >> 3) & 0xf = {o}"))}))";
}

/// <summary><c>rcode=noerror,nxdomain,...</c>: checked on responses only, as ncap documents; queries always pass.</summary>
internal sealed class DnsRcodeRule(int[] rcodes, bool wanted) : INcapRule
{
    public bool Matches(in NcapRecord m)
    {
        if (!DnsHeader.TryRead(m.Payload, out var header)) return false;
        return !header.IsResponse || rcodes.Contains(header.Rcode) == wanted;
    }

    public string KernelExpression =>
        $"(ip6 or udp[10] & 0x80 = 0 or {(wanted ? "" : "not ")}({string.Join(" or ", rcodes.Select(r => $"udp[11] & 0xf = {r}"))}))";
}

/// <summary>
/// <c>initiator=addr,...</c> / <c>target=addr,...</c>. The initiator is the side that sent the
/// query: the source of a query and the destination of a response (ncap compared the source
/// address only, whatever the direction; we follow the documented meaning).
/// </summary>
internal sealed class DnsPartyRule(IPAddress[] addresses, bool initiator, bool wanted) : INcapRule
{
    private readonly byte[][] _addressBytes = addresses.Select(a => a.GetAddressBytes()).ToArray();

    public bool Matches(in NcapRecord m)
    {
        if (!DnsHeader.TryRead(m.Payload, out var header)) return false;
        bool sourceIsInitiator = !header.IsResponse;
        var party = sourceIsInitiator == initiator ? m.Source : m.Destination;
        foreach (var bytes in _addressBytes)
            if (party.SequenceEqual(bytes)) return wanted;
        return !wanted;
    }

    public string? KernelExpression => wanted ? $"host ({string.Join(" or ", addresses.Select(a => a.ToString()))})" : null;
}

/// <summary><c>qname=name</c>: the first question's name, case-insensitive.</summary>
internal sealed class DnsQnameRule(string name) : INcapRule
{
    public bool Matches(in NcapRecord m) =>
        DnsHeader.TryRead(m.Payload, out var header) && header.QuestionCount > 0
        && DnsName.EqualsIgnoreCase(m.Payload, DnsHeader.Length, name);

    public string? KernelExpression => null;
}

/// <summary><c>qtype=A|AAAA|...</c>: the first question's type.</summary>
internal sealed class DnsQtypeRule(ushort type) : INcapRule
{
    public bool Matches(in NcapRecord m)
    {
        if (!DnsHeader.TryRead(m.Payload, out var header) || header.QuestionCount == 0) return false;
        int end = DnsName.Skip(m.Payload, DnsHeader.Length);
        return end >= 0 && end + 2 <= m.Payload.Length
            && System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(m.Payload[end..]) == type;
    }

    public string? KernelExpression => null;
}

/// <summary><c>regex=RE/i</c>: the regex matches (or with <c>#</c>, does not) the dig-like presentation form of the message.</summary>
internal sealed class DnsRegexRule(Regex regex, bool wanted) : INcapRule
{
    private readonly StringBuilder _text = new(512);

    public bool Matches(in NcapRecord m)
    {
        _text.Clear();
        if (!DnsPresentation.TryFormat(m.Payload, _text)) return false;
        try
        {
            return regex.IsMatch(_text.ToString()) == wanted;
        }
        catch (RegexMatchTimeoutException)
        {
            return !wanted; // a pathological pattern counts as "no match" rather than stalling collection
        }
    }

    public string? KernelExpression => null;
}
