using Wirecap.Bpf;
using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private const uint PacketOutgoing = 4;

    private Condition PacketLength(LengthNode node) => node.Less
        ? Condition.Not(Condition.Test([Instructions.LoadLength()], Instructions.Jgt, node.Value))
        : Condition.Test([Instructions.LoadLength()], Instructions.Jge, node.Value);

    /// <summary>Legacy <c>byte N op V</c> on the network-layer header.</summary>
    private Condition ByteTest(ByteNode node)
    {
        if (node.Value > 255)
            throw new FilterException($"byte argument {node.Value} greater than maximum 255", node.Position);
        var load = LoadAt(_layout.NetworkBase, (int)node.Index, 1);
        return node.Operator switch
        {
            '=' => Condition.Test(load, Instructions.Jeq, node.Value),
            '<' => Condition.Not(Condition.Test(load, Instructions.Jge, node.Value)),
            '>' => Condition.Test(load, Instructions.Jgt, node.Value),
            '|' => Condition.Not(Condition.Test([.. load, Instructions.Alu(BpfOpcode.OpOr, node.Value)], Instructions.Jeq, 0)),
            _ => Condition.Not(Condition.Test([.. load, Instructions.Alu(BpfOpcode.OpAnd, node.Value)], Instructions.Jeq, 0)),
        };
    }

    private Condition Broadcast(Keyword protocol, int position)
    {
        switch (protocol)
        {
            case Keyword.None or Keyword.Link:
                if (_layout.Kind != LinkKind.Ethernet)
                    throw NotSupportedHere("broadcast", position);
                return Condition.And(Compare(_layout.LinkHeader, 2, 4, 0xffffffff), Compare(_layout.LinkHeader, 0, 2, 0xffff));
            case Keyword.Ip:
                if (_netmask is not { } netmask)
                    throw new FilterException("netmask not known, so 'ip broadcast' not supported", position);
                var hostMask = ~netmask;
                return Condition.And(LinkTypeIs(EtherTypes.IPv4),
                    Condition.Or(CompareNetwork(16, 4, 0, hostMask), CompareNetwork(16, 4, hostMask, hostMask)));
            default:
                throw new FilterException("only link-layer/IP broadcast filters supported", position);
        }
    }

    private Condition Multicast(Keyword protocol, int position)
    {
        switch (protocol)
        {
            case Keyword.None or Keyword.Link:
                if (_layout.Kind != LinkKind.Ethernet)
                    throw NotSupportedHere("multicast", position);
                return Compare(_layout.LinkHeader, 0, 1, 1, jump: Instructions.Jset);
            case Keyword.Ip:
                // Debian's libpcap 1.10 (tcpdump -d here) takes 224.0.0.0 and everything above it; 1.11 tests the high nibble.
                return Condition.And(LinkTypeIs(EtherTypes.IPv4), CompareNetwork(16, 1, 224, jump: Instructions.Jge));
            case Keyword.Ip6:
                return Condition.And(LinkTypeIs(EtherTypes.IPv6), CompareNetwork(24, 1, 0xff));
            default:
                throw new FilterException("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel", position);
        }
    }

    /// <summary>Cooked captures record the packet direction in their header.</summary>
    private Condition Direction(DirectionNode node)
    {
        var name = node.Outbound ? "outbound" : "inbound";
        var outgoing = _layout.Dlt switch
        {
            Dlt.LinuxSll => Condition.Test([Instructions.LoadAbsolute(2, 0)], Instructions.Jeq, PacketOutgoing),
            Dlt.LinuxSll2 => Condition.Test([Instructions.LoadAbsolute(1, 10)], Instructions.Jeq, PacketOutgoing),
            _ => throw new FilterException($"not a live capture, '{name}' not supported on {DltName}", node.Position),
        };
        return node.Outbound ? outgoing : Condition.Not(outgoing);
    }

    private Condition InterfaceIndex(InterfaceIndexNode node)
    {
        if (_layout.Dlt != Dlt.LinuxSll2)
            throw new FilterException($"not a live capture, 'ifindex' not supported on {DltName}", node.Position);
        return Condition.Test([Instructions.LoadAbsolute(4, 4)], Instructions.Jeq, node.Index);
    }

    /// <summary>802.2 LLC frames on Ethernet: a length (not a type) and not raw 802.3 IPX.</summary>
    private Condition Llc(LlcNode node)
    {
        if (_layout.Kind != LinkKind.Ethernet)
            throw NotSupportedHere("llc", node.Position);
        var llc = _layout.LinkPayload;
        var isLlc = Condition.And(
            Condition.Not(Compare(_layout.LinkType!.Value, 0, 2, EtherTypes.MaximumEthernetLength, jump: Instructions.Jgt)),
            Condition.Not(Compare(llc, 0, 2, 0xffff)));
        return node.Kind?.ToLowerInvariant() switch
        {
            null => isLlc,
            "i" => Condition.And(isLlc, Condition.Not(Compare(llc, 2, 1, 0x01, jump: Instructions.Jset))),
            "s" => Condition.And(isLlc, Compare(llc, 2, 1, 0x01, 0x03)),
            "u" => Condition.And(isLlc, Compare(llc, 2, 1, 0x03, 0x03)),
            var kind when LlcSupervisory(kind) is { } s => Condition.And(isLlc, Compare(llc, 2, 1, s, 0x0f)),
            var kind when LlcUnnumbered(kind) is { } u => Condition.And(isLlc, Compare(llc, 2, 1, u, 0xef)),
            _ => throw new FilterException($"unknown LLC type name \"{TokenQuote.Of(node.Kind)}\"", node.Position),
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
