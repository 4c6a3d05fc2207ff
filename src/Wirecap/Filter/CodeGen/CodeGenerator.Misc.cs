using Wirecap.Bpf;
using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private const uint PacketOutgoing = 4;

    private Cond PacketLength(LengthNode node) => node.Less
        ? Cond.Not(Cond.Test([Ins.LoadLength()], Ins.Jgt, node.Value))
        : Cond.Test([Ins.LoadLength()], Ins.Jge, node.Value);

    /// <summary>Legacy <c>byte N op V</c> on the network-layer header.</summary>
    private Cond ByteTest(ByteNode node)
    {
        if (node.Value > 255)
            throw new FilterException($"byte argument {node.Value} greater than maximum 255", node.Position);
        var load = LoadAt(_layout.NetworkBase, (int)node.Index, 1);
        return node.Operator switch
        {
            '=' => Cond.Test(load, Ins.Jeq, node.Value),
            '<' => Cond.Not(Cond.Test(load, Ins.Jge, node.Value)),
            '>' => Cond.Test(load, Ins.Jgt, node.Value),
            '|' => Cond.Not(Cond.Test([.. load, Ins.Alu(BpfOpcode.OpOr, node.Value)], Ins.Jeq, 0)),
            _ => Cond.Not(Cond.Test([.. load, Ins.Alu(BpfOpcode.OpAnd, node.Value)], Ins.Jeq, 0)),
        };
    }

    private Cond Broadcast(Keyword protocol, int position)
    {
        switch (protocol)
        {
            case Keyword.None or Keyword.Link:
                if (_layout.Kind != LinkKind.Ethernet)
                    throw NotSupportedHere("broadcast", position);
                return Cond.And(Compare(_layout.LinkHeader, 2, 4, 0xffffffff), Compare(_layout.LinkHeader, 0, 2, 0xffff));
            case Keyword.Ip:
                if (_netmask is not { } netmask)
                    throw new FilterException("netmask not known, so 'ip broadcast' not supported", position);
                var hostMask = ~netmask;
                return Cond.And(LinkTypeIs(EtherTypes.Ip),
                    Cond.Or(CompareNetwork(16, 4, 0, hostMask), CompareNetwork(16, 4, hostMask, hostMask)));
            default:
                throw new FilterException("only link-layer/IP broadcast filters supported", position);
        }
    }

    private Cond Multicast(Keyword protocol, int position)
    {
        switch (protocol)
        {
            case Keyword.None or Keyword.Link:
                if (_layout.Kind != LinkKind.Ethernet)
                    throw NotSupportedHere("multicast", position);
                return Compare(_layout.LinkHeader, 0, 1, 1, jump: Ins.Jset);
            case Keyword.Ip:
                return Cond.And(LinkTypeIs(EtherTypes.Ip), CompareNetwork(16, 1, 0xe0, 0xf0));
            case Keyword.Ip6:
                return Cond.And(LinkTypeIs(EtherTypes.Ip6), CompareNetwork(24, 1, 0xff));
            default:
                throw new FilterException("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel", position);
        }
    }

    /// <summary>Cooked captures record the packet direction in their header.</summary>
    private Cond Direction(DirectionNode node)
    {
        var name = node.Outbound ? "outbound" : "inbound";
        var outgoing = _layout.Dlt switch
        {
            Dlt.LinuxSll => Cond.Test([Ins.LoadAbsolute(2, 0)], Ins.Jeq, PacketOutgoing),
            Dlt.LinuxSll2 => Cond.Test([Ins.LoadAbsolute(1, 10)], Ins.Jeq, PacketOutgoing),
            _ => throw new FilterException($"not a live capture, '{name}' not supported on {DltName}", node.Position),
        };
        return node.Outbound ? outgoing : Cond.Not(outgoing);
    }

    private Cond InterfaceIndex(InterfaceIndexNode node)
    {
        if (_layout.Dlt != Dlt.LinuxSll2)
            throw new FilterException($"not a live capture, 'ifindex' not supported on {DltName}", node.Position);
        return Cond.Test([Ins.LoadAbsolute(4, 4)], Ins.Jeq, node.Index);
    }

    /// <summary>802.2 LLC frames on Ethernet: a length (not a type) and not raw 802.3 IPX.</summary>
    private Cond Llc(LlcNode node)
    {
        if (_layout.Kind != LinkKind.Ethernet)
            throw NotSupportedHere("llc", node.Position);
        var llc = _layout.LinkPayload;
        var isLlc = Cond.And(
            Cond.Not(Compare(_layout.LinkType!.Value, 0, 2, EtherTypes.EthernetMtu, jump: Ins.Jgt)),
            Cond.Not(Compare(llc, 0, 2, 0xffff)));
        return node.Kind?.ToLowerInvariant() switch
        {
            null => isLlc,
            "i" => Cond.And(isLlc, Cond.Not(Compare(llc, 2, 1, 0x01, jump: Ins.Jset))),
            "s" => Cond.And(isLlc, Compare(llc, 2, 1, 0x01, 0x03)),
            "u" => Cond.And(isLlc, Compare(llc, 2, 1, 0x03, 0x03)),
            var kind when LlcSupervisory(kind) is { } s => Cond.And(isLlc, Compare(llc, 2, 1, s, 0x0f)),
            var kind when LlcUnnumbered(kind) is { } u => Cond.And(isLlc, Compare(llc, 2, 1, u, 0xef)),
            _ => throw new FilterException($"unknown LLC type name \"{node.Kind}\"", node.Position),
        };
    }

    private static uint? LlcSupervisory(string kind) => kind switch
    {
        "rr" => 0x01,
        "rnr" => 0x05,
        "rej" => 0x09,
        _ => null,
    };

    private static uint? LlcUnnumbered(string kind) => kind switch
    {
        "ui" => 0x03,
        "ua" => 0x63,
        "disc" => 0x43,
        "dm" => 0x0f,
        "sabme" => 0x6f,
        "test" => 0xe3,
        "xid" => 0xaf,
        "frmr" => 0x87,
        _ => null,
    };
}
