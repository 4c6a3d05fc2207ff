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
    private (Cond Match, int Constant) UdpTunnel(uint port, Func<Func<int, int, BpfInstruction[]>, Cond> header)
    {
        var (xV4, constant) = Ipv4TransportBase();
        var nl = _layout.NetworkBase;
        BpfInstruction[] xV6 = nl.IsVariable
            ? [Ins.LoadXMemory(nl.Register!.Value), Ins.LoadImmediate(40), Ins.AluX(BpfOpcode.OpAdd), Ins.Tax()]
            : [Ins.LoadXImmediate(40)];
        var v4 = Cond.All(
            LinkTypeIs(EtherTypes.Ip), CompareNetwork(9, 1, Udp), Ipv4NotLaterFragment(),
            Cond.Test(LoadIpv4Transport(2, 2), Ins.Jeq, port),
            header(LoadIpv4Transport),
            Cond.Effect(xV4));
        var v6 = Cond.All(
            LinkTypeIs(EtherTypes.Ip6), CompareNetwork(6, 1, Udp),
            Cond.Test(LoadIpv6Transport(2, 2), Ins.Jeq, port),
            header(LoadIpv6Transport),
            Cond.Effect(xV6));
        return (Cond.Or(v4, v6), constant);
    }

    private static Cond Vni(Func<int, int, BpfInstruction[]> load, uint? vni) => vni is { } v
        ? Cond.Test([.. load(12, 4), Ins.Alu(BpfOpcode.OpAnd, 0xffffff00)], Ins.Jeq, v << 8)
        : Cond.True;

    /// <summary>VXLAN (UDP 4789, "I" flag set); later tests look at the inner Ethernet frame.</summary>
    private Cond Vxlan(uint? vni, int position)
    {
        if (vni > 0xffffff)
            throw new FilterException($"VXLAN VNI {vni} greater than maximum 16777215", position);
        var (match, constant) = UdpTunnel(VxlanPort, load => Cond.And(
            Cond.Test(load(8, 1), Ins.Jeq, 0x08),
            Vni(load, vni)));
        var header = AllocateScratch(position);
        var type = AllocateScratch(position);
        var payload = AllocateScratch(position);
        var offsets = Cond.Effect([
            Ins.Txa(), Ins.Alu(BpfOpcode.OpAdd, (uint)(constant + 16)), Ins.Store(header),
            Ins.Alu(BpfOpcode.OpAdd, 12), Ins.Store(type),
            Ins.Alu(BpfOpcode.OpAdd, 2), Ins.Store(payload),
        ]);
        EnterTunnel(LinkKind.Ethernet, new Offset(0, header), new Offset(0, type), new Offset(0, payload));
        return Cond.And(match, offsets);
    }

    /// <summary>
    /// Geneve (UDP 6081, version 0); later tests look at the payload, which is an Ethernet frame
    /// when the protocol field says so and otherwise the protocol named by that EtherType (the
    /// protocol field then stands in for the Ethernet type field).
    /// </summary>
    private Cond Geneve(uint? vni, int position)
    {
        if (vni > 0xffffff)
            throw new FilterException($"Geneve VNI {vni} greater than maximum 16777215", position);
        var (match, constant) = UdpTunnel(GenevePort, load => Cond.And(
            Cond.Test([.. load(8, 1), Ins.Alu(BpfOpcode.OpAnd, 0xc0)], Ins.Jeq, 0),
            Vni(load, vni)));
        var header = AllocateScratch(position);
        var type = AllocateScratch(position);
        var payload = AllocateScratch(position);
        var locate = Cond.Effect([
            Ins.Txa(), Ins.Alu(BpfOpcode.OpAdd, (uint)(constant + 8)), Ins.Tax(),
            Ins.Alu(BpfOpcode.OpAdd, 2), Ins.Store(type),
            Ins.LoadIndexed(1, 0), Ins.Alu(BpfOpcode.OpAnd, 0x3f), Ins.Alu(BpfOpcode.OpMul, 4),
            Ins.Alu(BpfOpcode.OpAdd, 8), Ins.AluX(BpfOpcode.OpAdd), Ins.Store(header),
        ]);
        var ethernet = Cond.And(
            Cond.Test([Ins.LoadIndexed(2, 2)], Ins.Jeq, EtherTypes.TransparentEthernetBridging),
            Cond.Effect([Ins.LoadMemory(header), Ins.Alu(BpfOpcode.OpAdd, 12), Ins.Store(type),
                Ins.Alu(BpfOpcode.OpAdd, 2), Ins.Store(payload)]));
        var other = Cond.Effect([Ins.LoadMemory(header), Ins.Store(payload)]);
        EnterTunnel(LinkKind.Ethernet, new Offset(0, header), new Offset(0, type), new Offset(0, payload));
        return Cond.All(match, locate, Cond.Or(ethernet, other));
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
