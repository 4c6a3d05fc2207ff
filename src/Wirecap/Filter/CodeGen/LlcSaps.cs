namespace Wirecap.Filter.CodeGen;

/// <summary>802.2 LLC service access points the generators test, and the names <c>ether proto NAME</c> accepts.</summary>
internal static class LlcSaps
{
    public const uint IsoNetworkLayer = 0xfe;
    public const uint Ip = 0x06;
    public const uint NetBeui = 0xf0;
    public const uint Ipx = 0xe0;
    public const uint SpanningTree = 0x42;

    /// <summary>The EtherType or SAP behind a name in <c>ether proto NAME</c> (libpcap's built-in table), or null.</summary>
    public static uint? EtherProtocolFromName(string name) => name.ToLowerInvariant() switch
    {
        "ip" => EtherTypes.IPv4,
        "ip6" => EtherTypes.IPv6,
        "arp" => EtherTypes.Arp,
        "rarp" => EtherTypes.Rarp,
        "atalk" => EtherTypes.AppleTalk,
        "aarp" => EtherTypes.AppleTalkArp,
        "decnet" => EtherTypes.Decnet,
        "sca" => EtherTypes.Sca,
        "lat" => EtherTypes.Lat,
        "mopdl" => EtherTypes.MopDl,
        "moprc" => EtherTypes.MopRc,
        "lldp" => EtherTypes.Lldp,
        "slow" => EtherTypes.Slow,
        "loopback" => EtherTypes.Loopback,
        "iso" => IsoNetworkLayer,
        "stp" => SpanningTree,
        "ipx" => Ipx,
        "netbeui" => NetBeui,
        _ => null,
    };
}
