using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private const uint Ipv6FragmentHeader = 44;

    private Condition IpProtocol(uint protocol) => Condition.And(LinkTypeIs(EtherTypes.IPv4), CompareNetwork(9, 1, protocol));

    /// <summary>IPv6 next header, or the one after a fragment header (libpcap looks no further).</summary>
    private Condition Ip6Protocol(uint protocol) => Condition.And(
        LinkTypeIs(EtherTypes.IPv6),
        Condition.Or(CompareNetwork(6, 1, protocol),
            Condition.And(CompareNetwork(6, 1, Ipv6FragmentHeader), CompareNetwork(40, 1, protocol))));

    private Condition AnyIpProtocol(uint protocol) => Condition.Or(IpProtocol(protocol), Ip6Protocol(protocol));

    /// <summary>A protocol name used alone: <c>tcp</c>, <c>arp</c>, <c>ip6</c>…</summary>
    private Condition ProtocolAbbreviation(Keyword protocol, int position) => protocol switch
    {
        Keyword.Ip => LinkTypeIs(EtherTypes.IPv4),
        Keyword.Ip6 => LinkTypeIs(EtherTypes.IPv6),
        Keyword.Arp => LinkTypeIs(EtherTypes.Arp),
        Keyword.Rarp => LinkTypeIs(EtherTypes.Rarp),
        Keyword.Tcp => AnyIpProtocol(Tcp),
        Keyword.Udp => AnyIpProtocol(Udp),
        Keyword.Sctp => AnyIpProtocol(Sctp),
        Keyword.Icmp => IpProtocol(1),
        Keyword.Igmp => IpProtocol(2),
        Keyword.Igrp => IpProtocol(9),
        Keyword.Pim => AnyIpProtocol(103),
        Keyword.Vrrp or Keyword.Carp => IpProtocol(112),
        Keyword.Icmp6 => Ip6Protocol(58),
        Keyword.Ah => AnyIpProtocol(51),
        Keyword.Esp => AnyIpProtocol(50),
        Keyword.Atalk => LinkTypeIs(EtherTypes.AppleTalk),
        Keyword.Aarp => LinkTypeIs(EtherTypes.AppleTalkArp),
        Keyword.Decnet => LinkTypeIs(EtherTypes.Decnet),
        Keyword.Lat => LinkTypeIs(EtherTypes.Lat),
        Keyword.Sca => LinkTypeIs(EtherTypes.Sca),
        Keyword.MopRc => LinkTypeIs(EtherTypes.MopRc),
        Keyword.MopDl => LinkTypeIs(EtherTypes.MopDl),
        Keyword.Ipx => LinkTypeIs(LlcSaps.Ipx),
        Keyword.Stp => LinkTypeIs(LlcSaps.SpanningTree),
        Keyword.NetBeui => LinkTypeIs(LlcSaps.NetBeui),
        Keyword.Iso => LinkTypeIs(LlcSaps.IsoNetworkLayer),
        _ => OsiAbbreviation(protocol, position),
    };

    /// <summary><c>[ip|ip6|link] proto N</c>.</summary>
    private Condition ProtocolNumber(Keyword qualifier, uint value, int position)
    {
        switch (qualifier)
        {
            case Keyword.Link:
                if (value > 65535)
                    throw new FilterException($"EtherType {value} greater than maximum 65535", position);
                if (value is > 255 and <= EtherTypes.MaximumEthernetLength && _layout.Kind is LinkKind.Ethernet or LinkKind.Cooked)
                    throw new FilterException($"LLC DSAP {value} greater than maximum 255", position);
                return LinkTypeIs(value);
            case Keyword.None or Keyword.Ip or Keyword.Ip6:
                if (value > 255)
                    throw new FilterException($"protocol number {value} greater than maximum 255", position);
                return qualifier switch
                {
                    Keyword.Ip => IpProtocol(value),
                    Keyword.Ip6 => Ip6Protocol(value),
                    _ => AnyIpProtocol(value),
                };
            case Keyword.Iso:
                return IsoProtocol(value, position);
            case Keyword.Isis:
                return IsisPdu(value, position);
            default:
                throw new FilterException($"'{KeywordTable.Spell(qualifier)}' is not a valid qualifier for 'proto'", position);
        }
    }

    private uint ResolveProtocolName(Qualifiers q, NameId id, string kind)
    {
        if (q.Protocol == Keyword.Decnet)
            throw new FilterException($"'decnet' is not a valid qualifier for '{kind}'", id.Position);
        var label = q.Protocol == Keyword.None ? kind : $"{KeywordTable.Spell(q.Protocol)} {kind}";
        uint? value = q.Protocol switch
        {
            Keyword.Link => LlcSaps.EtherProtocolFromName(id.Name),
            Keyword.Iso or Keyword.Isis => id.Name.ToLowerInvariant() switch
            {
                "clnp" => 0x81,
                "esis" => 0x82,
                "isis" => 0x83,
                _ => null,
            },
            _ => _names.ResolveProtocol(id.Name) is { } p ? (uint)p : null,
        };
        return value ?? throw new FilterException($"unknown '{label}' value '{TokenQuote.Of(id.Name)}'", id.Position);
    }
}
