namespace Wirecap.Filter.CodeGen;

/// <summary>
/// Where the headers are for the current point of the expression. Encapsulation primitives
/// (<c>vlan</c>, <c>mpls</c>, <c>pppoes</c>, <c>geneve</c>, <c>vxlan</c>) change it for everything to
/// their right, which is libpcap's (order-dependent) meaning.
/// </summary>
internal sealed class LinkLayout
{
    /// <summary>The DLT currently in effect (becomes PPP inside a PPPoE session).</summary>
    public int Dlt { get; set; }
    public LinkKind Kind { get; set; }
    public Offset LinkHeader { get; set; }
    /// <summary>Offset of the type/protocol field, or null when the link has none.</summary>
    public Offset? LinkType { get; set; }
    public Offset LinkPayload { get; set; }
    /// <summary>Network-layer offset within the link payload (grows with MPLS labels).</summary>
    public int Network { get; set; }
    public int MplsDepth { get; set; }
    public bool InsideTunnel { get; set; }
    public bool InsidePppoe { get; set; }

    /// <summary>Start of the network-layer header.</summary>
    public Offset NetworkBase => LinkPayload.Plus(Network);

    public static LinkLayout For(int dlt) => dlt switch
    {
        CodeGen.Dlt.Ethernet => new LinkLayout { Dlt = dlt, Kind = LinkKind.Ethernet, LinkType = new Offset(12), LinkPayload = new Offset(14) },
        CodeGen.Dlt.LinuxSll => new LinkLayout { Dlt = dlt, Kind = LinkKind.Cooked, LinkType = new Offset(14), LinkPayload = new Offset(LinuxCookedHeader.V1Length) },
        CodeGen.Dlt.LinuxSll2 => new LinkLayout { Dlt = dlt, Kind = LinkKind.Cooked, LinkType = new Offset(0), LinkPayload = new Offset(LinuxCookedHeader.V2Length) },
        CodeGen.Dlt.Raw or CodeGen.Dlt.RawOpenBsd or CodeGen.Dlt.LinkTypeRaw => new LinkLayout { Dlt = dlt, Kind = LinkKind.RawIp },
        CodeGen.Dlt.Ipv4 => new LinkLayout { Dlt = dlt, Kind = LinkKind.Ipv4Only },
        CodeGen.Dlt.Ipv6 => new LinkLayout { Dlt = dlt, Kind = LinkKind.Ipv6Only },
        CodeGen.Dlt.Null => new LinkLayout { Dlt = dlt, Kind = LinkKind.NullHostOrder, LinkType = new Offset(0), LinkPayload = new Offset(4) },
        CodeGen.Dlt.Loop => new LinkLayout { Dlt = dlt, Kind = LinkKind.LoopNetworkOrder, LinkType = new Offset(0), LinkPayload = new Offset(4) },
        _ => throw new FilterException(LinkTypes.GetName(LinkTypes.FromDlt(dlt)) is { } name
            ? $"data link type DLT_{name} ({dlt}) is not supported by the filter compiler"
            : $"unknown data link type {dlt}"),
    };
}
