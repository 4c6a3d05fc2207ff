using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private Condition Encapsulation(EncapsulationNode node) => node.Kind switch
    {
        Keyword.Vlan => Vlan(node.Value, node.Position),
        Keyword.Mpls => Mpls(node.Value, node.Position),
        Keyword.PppoeDiscovery => PppoeDiscovery(node.Position),
        Keyword.PppoeSession => PppoeSession(node.Value, node.Position),
        Keyword.Geneve => Geneve(node.Value, node.Position),
        _ => Vxlan(node.Value, node.Position),
    };

    /// <summary>802.1Q, 802.1ad or QinQ tag (optionally with that VLAN id); later tests look past the tag.</summary>
    private Condition Vlan(uint? id, int position)
    {
        if (_layout.Kind is not LinkKind.Ethernet || _layout.MplsDepth > 0)
            throw NotSupportedHere("vlan", position);
        if (id > 4095)
            throw new FilterException($"VLAN tag {id} greater than maximum 4095", position);
        var tagged = Condition.Any(LinkTypeIs(EtherTypes.Vlan), LinkTypeIs(EtherTypes.ProviderBridging), LinkTypeIs(EtherTypes.QinQLegacy));
        if (id is { } vid)
            tagged = Condition.And(tagged, Compare(_layout.LinkPayload, 0, 2, vid, 0x0fff));
        _layout.LinkType = _layout.LinkType!.Value.Plus(4);
        _layout.LinkPayload = _layout.LinkPayload.Plus(4);
        return tagged;
    }

    /// <summary>An MPLS label (optionally with that label value); later tests look past it.</summary>
    private Condition Mpls(uint? label, int position)
    {
        Condition present;
        if (_layout.MplsDepth > 0)
            present = Condition.Not(Compare(_layout.LinkPayload, _layout.Network - 4 + 2, 1, 0x01, jump: Instructions.Jset));
        else if (_layout.Kind == LinkKind.Ethernet)
            present = LinkTypeIs(EtherTypes.Mpls);
        else if (_layout.Kind == LinkKind.Ppp)
            present = Compare(_layout.LinkType!.Value, 0, 2, 0x0281);
        else
            throw NotSupportedHere("mpls", position);
        if (label > 0xfffff)
            throw new FilterException($"MPLS label {label} greater than maximum 1048575", position);
        if (label is { } value)
            present = Condition.And(present, CompareNetwork(0, 4, value << 12, 0xfffff000));
        _layout.Network += 4;
        _layout.MplsDepth++;
        return present;
    }

    private Condition PppoeDiscovery(int position)
    {
        if (_layout.Kind is not (LinkKind.Ethernet or LinkKind.Cooked or LinkKind.Ppp))
            throw NotSupportedHere("pppoed", position);
        return LinkTypeIs(EtherTypes.PppoeDiscovery);
    }

    /// <summary>A PPPoE session frame (optionally that session); later tests look at the PPP payload.</summary>
    private Condition PppoeSession(uint? session, int position)
    {
        if (_layout.Kind is not (LinkKind.Ethernet or LinkKind.Cooked or LinkKind.Ppp))
            throw NotSupportedHere("pppoes", position);
        if (session > 65535)
            throw new FilterException($"PPPoE session number {session} greater than maximum 65535", position);
        var present = LinkTypeIs(EtherTypes.PppoeSession);
        if (session is { } id)
            present = Condition.And(present, CompareNetwork(2, 2, id));
        var header = _layout.NetworkBase;
        _layout.Dlt = Dlt.Ppp;
        _layout.Kind = LinkKind.Ppp;
        _layout.LinkHeader = header;
        _layout.LinkType = header.Plus(6);
        _layout.LinkPayload = header.Plus(8);
        _layout.Network = 0;
        _layout.InsidePppoe = true;
        return present;
    }
}
