namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private const uint SllProto8023 = 0x0001;
    private const uint SllProto8022 = 0x0004;

    /// <summary>
    /// "The link layer carries protocol <paramref name="protocol"/>" (an EtherType, or an LLC SAP
    /// when ≤ 1500), for the link type and encapsulation in effect (libpcap's <c>gen_linktype</c>).
    /// </summary>
    private Cond LinkTypeIs(uint protocol)
    {
        if (_layout.MplsDepth > 0)
            return MplsPayloadIs(protocol);
        return _layout.Kind switch
        {
            LinkKind.Ethernet => EthernetTypeIs(protocol),
            LinkKind.Cooked => CookedTypeIs(protocol),
            LinkKind.RawIp => protocol switch
            {
                EtherTypes.Ip => Compare(_layout.LinkPayload, 0, 1, 0x40, 0xf0),
                EtherTypes.Ip6 => Compare(_layout.LinkPayload, 0, 1, 0x60, 0xf0),
                _ => Cond.False,
            },
            LinkKind.Ipv4Only => protocol == EtherTypes.Ip ? Cond.True : Cond.False,
            LinkKind.Ipv6Only => protocol == EtherTypes.Ip6 ? Cond.True : Cond.False,
            LinkKind.NullHostOrder => LoopbackFamily(protocol) is { } af
                ? Compare(_layout.LinkType!.Value, 0, 4, System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(af))
                : Cond.False,
            LinkKind.LoopNetworkOrder => LoopbackFamily(protocol) is { } family
                ? Compare(_layout.LinkType!.Value, 0, 4, family)
                : Cond.False,
            LinkKind.Ppp => PppProtocol(protocol) is { } ppp ? Compare(_layout.LinkType!.Value, 0, 2, ppp) : Cond.False,
            _ => Cond.False,
        };
    }

    // Linux's AF_INET and AF_INET6, which libpcap uses for DLT_NULL/DLT_LOOP on Linux.
    private static uint? LoopbackFamily(uint etherType) => etherType switch
    {
        EtherTypes.Ip => 2,
        EtherTypes.Ip6 => 10,
        _ => null,
    };

    private static uint? PppProtocol(uint etherType) => etherType switch
    {
        EtherTypes.Ip => 0x0021,
        EtherTypes.Ip6 => 0x0057,
        EtherTypes.Decnet => 0x0027,
        EtherTypes.AppleTalk => 0x0029,
        EtherTypes.Ipx => 0x002b,
        EtherTypes.SapIsoNs => 0x0023,
        EtherTypes.Mpls => 0x0281,
        _ when etherType > EtherTypes.EthernetMtu => etherType,
        _ => null,
    };

    private Cond MplsPayloadIs(uint protocol)
    {
        var bottomOfStack = Compare(_layout.LinkPayload, _layout.Network - 4 + 2, 1, 0x01, 0x01);
        var version = protocol switch
        {
            EtherTypes.Ip => 0x40u,
            EtherTypes.Ip6 => 0x60u,
            _ => throw new FilterException("unsupported protocol over mpls"),
        };
        return Cond.And(bottomOfStack, CompareNetwork(0, 1, version, 0xf0));
    }

    private Cond EthernetTypeIs(uint protocol)
    {
        var type = _layout.LinkType!.Value;
        var llc = _layout.LinkPayload;
        var isLlc = Cond.Not(Compare(type, 0, 2, EtherTypes.EthernetMtu, jump: Ins.Jgt));
        switch (protocol)
        {
            case EtherTypes.SapIsoNs or EtherTypes.SapIp or EtherTypes.SapNetBeui:
                return Cond.And(isLlc, Compare(llc, 0, 2, (protocol << 8) | protocol));
            case EtherTypes.SapIpx:
                return Cond.Or(
                    Compare(type, 0, 2, EtherTypes.Ipx),
                    Cond.And(isLlc, Cond.Any(Snap(llc, 0x000000, EtherTypes.Ipx), Compare(llc, 0, 1, EtherTypes.SapIpx),
                        Compare(llc, 0, 2, 0xffff))));
            case EtherTypes.AppleTalk or EtherTypes.AppleTalkArp:
                return Cond.Or(
                    Compare(type, 0, 2, protocol),
                    Cond.And(isLlc, Snap(llc, protocol == EtherTypes.AppleTalk ? 0x080007u : 0u, protocol)));
            default:
                return protocol <= EtherTypes.EthernetMtu
                    ? Cond.And(isLlc, Compare(llc, 0, 1, protocol))
                    : Compare(type, 0, 2, protocol);
        }
    }

    private Cond CookedTypeIs(uint protocol)
    {
        var type = _layout.LinkType!.Value;
        var llc = _layout.LinkPayload;
        var isLlc = Compare(type, 0, 2, SllProto8022);
        switch (protocol)
        {
            case EtherTypes.SapIsoNs or EtherTypes.SapIp or EtherTypes.SapNetBeui:
                return Cond.And(isLlc, Compare(llc, 0, 2, (protocol << 8) | protocol));
            case EtherTypes.SapIpx:
                return Cond.Any(
                    Compare(type, 0, 2, EtherTypes.Ipx),
                    Compare(type, 0, 2, SllProto8023),
                    Cond.And(isLlc, Cond.Or(Compare(llc, 0, 1, EtherTypes.SapIpx), Snap(llc, 0, EtherTypes.Ipx))));
            case EtherTypes.AppleTalk or EtherTypes.AppleTalkArp:
                return Cond.Or(
                    Compare(type, 0, 2, protocol),
                    Cond.And(isLlc, Snap(llc, protocol == EtherTypes.AppleTalk ? 0x080007u : 0u, protocol)));
            default:
                return protocol <= EtherTypes.EthernetMtu
                    ? Cond.And(isLlc, Compare(llc, 0, 1, protocol))
                    : Compare(type, 0, 2, protocol);
        }
    }

    /// <summary>An 802.2 SNAP header (AA AA 03, organisation code, type) at <paramref name="llc"/>.</summary>
    private static Cond Snap(Offset llc, uint organisation, uint type) => Cond.And(
        Compare(llc, 4, 4, ((organisation & 0xffff) << 16) | type),
        Compare(llc, 0, 4, 0xaaaa0300 | (organisation >> 16)));
}
