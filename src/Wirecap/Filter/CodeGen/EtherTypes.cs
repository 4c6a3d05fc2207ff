namespace Wirecap.Filter.CodeGen;

/// <summary>EtherType and 802.2 LLC SAP values used by the generators.</summary>
internal static class EtherTypes
{
    public const uint Ip = 0x0800;
    public const uint Arp = 0x0806;
    public const uint ReverseArp = 0x8035;
    public const uint Ip6 = 0x86dd;
    public const uint Vlan = 0x8100;
    public const uint ProviderBridging = 0x88a8;
    public const uint QinQ = 0x9100;
    public const uint Mpls = 0x8847;
    public const uint PppoeDiscovery = 0x8863;
    public const uint PppoeSession = 0x8864;
    public const uint AppleTalk = 0x809b;
    public const uint AppleTalkArp = 0x80f3;
    public const uint Decnet = 0x6003;
    public const uint Lat = 0x6004;
    public const uint Sca = 0x6007;
    public const uint MopRc = 0x6002;
    public const uint MopDl = 0x6001;
    public const uint Ipx = 0x8137;
    public const uint Lldp = 0x88cc;
    public const uint Slow = 0x8809;
    public const uint Loopback = 0x9000;
    public const uint TransparentEthernetBridging = 0x6558;

    /// <summary>Largest 802.3 length; a type/length field above it is an EtherType.</summary>
    public const uint EthernetMtu = 1500;

    public const uint SapIsoNs = 0xfe;
    public const uint SapIp = 0x06;
    public const uint SapNetBeui = 0xf0;
    public const uint SapIpx = 0xe0;
    public const uint SapSpanningTree = 0x42;

    /// <summary>Names accepted by <c>ether proto NAME</c> (libpcap's built-in table).</summary>
    public static uint? FromName(string name) => name.ToLowerInvariant() switch
    {
        "ip" => Ip,
        "ip6" => Ip6,
        "arp" => Arp,
        "rarp" => ReverseArp,
        "atalk" => AppleTalk,
        "aarp" => AppleTalkArp,
        "decnet" => Decnet,
        "sca" => Sca,
        "lat" => Lat,
        "mopdl" => MopDl,
        "moprc" => MopRc,
        "lldp" => Lldp,
        "slow" => Slow,
        "loopback" => Loopback,
        "iso" => SapIsoNs,
        "stp" => SapSpanningTree,
        "ipx" => SapIpx,
        "netbeui" => SapNetBeui,
        _ => null,
    };
}
