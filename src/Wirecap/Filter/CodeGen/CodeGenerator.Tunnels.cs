using Wirecap.Bpf;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private const uint VxlanPort = 4789;
    private const uint GenevePort = 6081;

    /// <summary>
    /// UDP to <paramref name="port"/> over IPv4 or IPv6 whose tunnel header passes
    /// <paramref name="header"/>; on either path X ends up holding the UDP header's offset minus
    /// the returned constant.
    /// </summary>
    private (Condition Match, int Constant) UdpTunnel(uint port, Func<Func<int, int, BpfInstruction[]>, Condition> header)
    {
        var (xV4, constant) = Ipv4TransportBase();
        var nl = _layout.NetworkBase;
        BpfInstruction[] xV6 = nl.IsVariable
            ? [Instructions.LoadXMemory(nl.Register!.Value), Instructions.LoadImmediate(40), Instructions.AluX(BpfOpcode.OpAdd), Instructions.Tax()]
            : [Instructions.LoadXImmediate(40)];
        var v4 = Condition.All(
            LinkTypeIs(EtherTypes.IPv4), CompareNetwork(9, 1, Udp), Ipv4NotLaterFragment(),
            Condition.Test(LoadIpv4Transport(2, 2), Instructions.Jeq, port),
            header(LoadIpv4Transport),
            Condition.Effect(xV4));
        var v6 = Condition.All(
            LinkTypeIs(EtherTypes.IPv6), CompareNetwork(6, 1, Udp),
            Condition.Test(LoadIpv6Transport(2, 2), Instructions.Jeq, port),
            header(LoadIpv6Transport),
            Condition.Effect(xV6));
        return (Condition.Or(v4, v6), constant);
    }

    private static Condition Vni(Func<int, int, BpfInstruction[]> load, uint? vni) => vni is { } v
        ? Condition.Test([.. load(12, 4), Instructions.Alu(BpfOpcode.OpAnd, 0xffffff00)], Instructions.Jeq, v << 8)
        : Condition.True;

    /// <summary>VXLAN (UDP 4789, "I" flag set); later tests look at the inner Ethernet frame.</summary>
    private Condition Vxlan(uint? vni, int position)
    {
        if (vni > 0xffffff)
            throw new FilterException($"VXLAN VNI {vni} greater than maximum 16777215", position);
        var (match, constant) = UdpTunnel(VxlanPort, load => Condition.And(
            Condition.Test(load(8, 1), Instructions.Jeq, 0x08),
            Vni(load, vni)));
        var header = AllocateScratch(position);
        var type = AllocateScratch(position);
        var payload = AllocateScratch(position);
        var offsets = Condition.Effect([
            Instructions.Txa(), Instructions.Alu(BpfOpcode.OpAdd, (uint)(constant + 16)), Instructions.Store(header),
            Instructions.Alu(BpfOpcode.OpAdd, 12), Instructions.Store(type),
            Instructions.Alu(BpfOpcode.OpAdd, 2), Instructions.Store(payload),
        ]);
        EnterTunnel(LinkKind.Ethernet, new Offset(0, header), new Offset(0, type), new Offset(0, payload));
        return Condition.And(match, offsets);
    }

    /// <summary>
    /// Geneve (UDP 6081, version 0); later tests look at the payload, which is an Ethernet frame
    /// when the protocol field says so and otherwise the protocol named by that EtherType (the
    /// protocol field then stands in for the Ethernet type field).
    /// </summary>
    private Condition Geneve(uint? vni, int position)
    {
        if (vni > 0xffffff)
            throw new FilterException($"Geneve VNI {vni} greater than maximum 16777215", position);
        var (match, constant) = UdpTunnel(GenevePort, load => Condition.And(
            Condition.Test([.. load(8, 1), Instructions.Alu(BpfOpcode.OpAnd, 0xc0)], Instructions.Jeq, 0),
            Vni(load, vni)));
        var header = AllocateScratch(position);
        var type = AllocateScratch(position);
        var payload = AllocateScratch(position);
        var locate = Condition.Effect([
            Instructions.Txa(), Instructions.Alu(BpfOpcode.OpAdd, (uint)(constant + 8)), Instructions.Tax(),
            Instructions.Alu(BpfOpcode.OpAdd, 2), Instructions.Store(type),
            Instructions.LoadIndexed(1, 0), Instructions.Alu(BpfOpcode.OpAnd, 0x3f), Instructions.Alu(BpfOpcode.OpMul, 4),
            Instructions.Alu(BpfOpcode.OpAdd, 8), Instructions.AluX(BpfOpcode.OpAdd), Instructions.Store(header),
        ]);
        var ethernet = Condition.And(
            Condition.Test([Instructions.LoadIndexed(2, 2)], Instructions.Jeq, EtherTypes.TransparentEthernetBridging),
            Condition.Effect([Instructions.LoadMemory(header), Instructions.Alu(BpfOpcode.OpAdd, 12), Instructions.Store(type),
                Instructions.Alu(BpfOpcode.OpAdd, 2), Instructions.Store(payload)]));
        var other = Condition.Effect([Instructions.LoadMemory(header), Instructions.Store(payload)]);
        EnterTunnel(LinkKind.Ethernet, new Offset(0, header), new Offset(0, type), new Offset(0, payload));
        return Condition.All(match, locate, Condition.Or(ethernet, other));
    }

    private void EnterTunnel(LinkKind kind, Offset header, Offset type, Offset payload)
    {
        _layout.Dlt = Dlt.Ethernet;
        _layout.Kind = kind;
        _layout.LinkHeader = header;
        _layout.LinkType = type;
        _layout.LinkPayload = payload;
        _layout.Network = 0;
        _layout.MplsDepth = 0;
        _layout.InsideTunnel = true;
    }
}
