namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private const uint SllProto8023 = 0x0001;
    private const uint SllProto8022 = 0x0004;

    /// <summary>
    /// "The link layer carries protocol <paramref name="protocol"/>" (an EtherType, or an LLC SAP
    /// when ≤ 1500), for the link type and encapsulation in effect (libpcap's <c>gen_linktype</c>).
    /// </summary>
    private Condition LinkTypeIs(uint protocol)
    {
        if (_layout.MplsDepth > 0)
            return MplsPayloadIs(protocol);
        return _layout.Kind switch
        {
            LinkKind.Ethernet => EthernetTypeIs(protocol),
            LinkKind.Cooked => CookedTypeIs(protocol),
            LinkKind.RawIp => protocol switch
            {
                EtherTypes.IPv4 => Compare(_layout.LinkPayload, 0, 1, 0x40, 0xf0),
                EtherTypes.IPv6 => Compare(_layout.LinkPayload, 0, 1, 0x60, 0xf0),
                _ => Condition.False,
            },
            LinkKind.Ipv4Only => protocol == EtherTypes.IPv4 ? Condition.True : Condition.False,
            LinkKind.Ipv6Only => protocol == EtherTypes.IPv6 ? Condition.True : Condition.False,
            LinkKind.NullHostOrder => LoopbackFamily(protocol) is { } af
                ? Compare(_layout.LinkType!.Value, 0, 4, System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(af))
                : Condition.False,
            LinkKind.LoopNetworkOrder => LoopbackFamily(protocol) is { } family
                ? Compare(_layout.LinkType!.Value, 0, 4, family)
                : Condition.False,
            LinkKind.Ppp => PppProtocol(protocol) is { } ppp ? Compare(_layout.LinkType!.Value, 0, 2, ppp) : Condition.False,
            _ => Condition.False,
        };
    }

    // Linux's AF_INET and AF_INET6, which libpcap uses for DLT_NULL/DLT_LOOP on Linux.
    private static uint? LoopbackFamily(uint etherType) => etherType switch
    {
        EtherTypes.IPv4 => 2,
        EtherTypes.IPv6 => 10,
        _ => null,
    };

    private static uint? PppProtocol(uint etherType) => etherType switch
    {
        EtherTypes.IPv4 => 0x0021,
        EtherTypes.IPv6 => 0x0057,
        EtherTypes.Decnet => 0x0027,
        EtherTypes.AppleTalk => 0x0029,
        EtherTypes.Ipx => 0x002b,
        LlcSaps.IsoNetworkLayer => 0x0023,
        EtherTypes.Mpls => 0x0281,
        _ when etherType > EtherTypes.MaximumEthernetLength => etherType,
        _ => null,
    };

    private Condition MplsPayloadIs(uint protocol)
    {
        var bottomOfStack = Compare(_layout.LinkPayload, _layout.Network - 4 + 2, 1, 0x01, 0x01);
        var version = protocol switch
        {
            EtherTypes.IPv4 => 0x40u,
            EtherTypes.IPv6 => 0x60u,
            _ => throw new FilterException("unsupported protocol over mpls"),
        };
        return Condition.And(bottomOfStack, CompareNetwork(0, 1, version, 0xf0));
    }

    private Condition EthernetTypeIs(uint protocol)
    {
        var type = _layout.LinkType!.Value;
        var llc = _layout.LinkPayload;
        var isLlc = Condition.Not(Compare(type, 0, 2, EtherTypes.MaximumEthernetLength, jump: Instructions.Jgt));
        switch (protocol)
        {
            case LlcSaps.IsoNetworkLayer or LlcSaps.Ip or LlcSaps.NetBeui:
                return Condition.And(isLlc, Compare(llc, 0, 2, (protocol << 8) | protocol));
            case LlcSaps.Ipx:
                return Condition.Or(
                    Compare(type, 0, 2, EtherTypes.Ipx),
                    Condition.And(isLlc, Condition.Any(Snap(llc, 0x000000, EtherTypes.Ipx), Compare(llc, 0, 1, LlcSaps.Ipx),
                        Compare(llc, 0, 2, 0xffff))));
            case EtherTypes.AppleTalk or EtherTypes.AppleTalkArp:
                return Condition.Or(
                    Compare(type, 0, 2, protocol),
                    Condition.And(isLlc, Snap(llc, protocol == EtherTypes.AppleTalk ? 0x080007u : 0u, protocol)));
            default:
                return protocol <= EtherTypes.MaximumEthernetLength
                    ? Condition.And(isLlc, Compare(llc, 0, 1, protocol))
                    : Compare(type, 0, 2, protocol);
        }
    }

    private Condition CookedTypeIs(uint protocol)
    {
        var type = _layout.LinkType!.Value;
        var llc = _layout.LinkPayload;
        var isLlc = Compare(type, 0, 2, SllProto8022);
        switch (protocol)
        {
            case LlcSaps.IsoNetworkLayer or LlcSaps.Ip or LlcSaps.NetBeui:
                return Condition.And(isLlc, Compare(llc, 0, 2, (protocol << 8) | protocol));
            case LlcSaps.Ipx:
                return Condition.Any(
                    Compare(type, 0, 2, EtherTypes.Ipx),
                    Compare(type, 0, 2, SllProto8023),
                    Condition.And(isLlc, Condition.Or(Compare(llc, 0, 1, LlcSaps.Ipx), Snap(llc, 0, EtherTypes.Ipx))));
            case EtherTypes.AppleTalk or EtherTypes.AppleTalkArp:
                return Condition.Or(
                    Compare(type, 0, 2, protocol),
                    Condition.And(isLlc, Snap(llc, protocol == EtherTypes.AppleTalk ? 0x080007u : 0u, protocol)));
            default:
                return protocol <= EtherTypes.MaximumEthernetLength
                    ? Condition.And(isLlc, Compare(llc, 0, 1, protocol))
                    : Compare(type, 0, 2, protocol);
        }
    }

    /// <summary>An 802.2 SNAP header (AA AA 03, organisation code, type) at <paramref name="llc"/>.</summary>
    private static Condition Snap(Offset llc, uint organisation, uint type) => Condition.And(
        Compare(llc, 4, 4, ((organisation & 0xffff) << 16) | type),
        Compare(llc, 0, 4, 0xaaaa0300 | (organisation >> 16)));
}
