namespace Wirecap;

/// <summary>EtherType values (IEEE 802 numbers, the 16-bit type field after the MAC addresses) that the filter
/// compiler, the BPF payload-offset dissector, the decoders and the printer share.</summary>
/// <remarks>Two tag protocol identifiers are called "QinQ" by different tools: 0x88A8 is the IEEE 802.1ad
/// service tag (libpcap's <c>ETHERTYPE_8021AD</c>; tcpdump prints it "802.1Q-QinQ"), 0x9100 the pre-standard
/// vendor value (libpcap's <c>ETHERTYPE_8021QINQ</c>; tcpdump prints it "802.1Q-9100"). Neither is named
/// plain "QinQ" here so that the name says which one is meant.</remarks>
public static class EtherTypes
{
    /// <summary>Internet Protocol version 4.</summary>
    public const ushort IPv4 = 0x0800;
    /// <summary>Address Resolution Protocol.</summary>
    public const ushort Arp = 0x0806;
    /// <summary>DECnet Phase IV MOP dump/load.</summary>
    public const ushort MopDl = 0x6001;
    /// <summary>DECnet Phase IV MOP remote console.</summary>
    public const ushort MopRc = 0x6002;
    /// <summary>DECnet Phase IV routing.</summary>
    public const ushort Decnet = 0x6003;
    /// <summary>DEC LAT.</summary>
    public const ushort Lat = 0x6004;
    /// <summary>DEC systems communication architecture.</summary>
    public const ushort Sca = 0x6007;
    /// <summary>Transparent Ethernet bridging (an Ethernet frame inside GRE, VXLAN, Geneve).</summary>
    public const ushort TransparentEthernetBridging = 0x6558;
    /// <summary>Reverse ARP.</summary>
    public const ushort Rarp = 0x8035;
    /// <summary>AppleTalk (EtherTalk).</summary>
    public const ushort AppleTalk = 0x809b;
    /// <summary>AppleTalk ARP.</summary>
    public const ushort AppleTalkArp = 0x80f3;
    /// <summary>IEEE 802.1Q VLAN tag (customer tag; libpcap's <c>ETHERTYPE_8021Q</c>).</summary>
    public const ushort Vlan = 0x8100;
    /// <summary>Novell IPX.</summary>
    public const ushort Ipx = 0x8137;
    /// <summary>Internet Protocol version 6.</summary>
    public const ushort IPv6 = 0x86dd;
    /// <summary>Slow protocols (LACP, OAM).</summary>
    public const ushort Slow = 0x8809;
    /// <summary>MPLS unicast.</summary>
    public const ushort Mpls = 0x8847;
    /// <summary>PPPoE discovery stage.</summary>
    public const ushort PppoeDiscovery = 0x8863;
    /// <summary>PPPoE session stage.</summary>
    public const ushort PppoeSession = 0x8864;
    /// <summary>IEEE 802.1ad service tag, the standard outer tag of QinQ (libpcap's <c>ETHERTYPE_8021AD</c>).</summary>
    public const ushort ProviderBridging = 0x88a8;
    /// <summary>Link Layer Discovery Protocol.</summary>
    public const ushort Lldp = 0x88cc;
    /// <summary>Ethernet configuration testing protocol (loopback).</summary>
    public const ushort Loopback = 0x9000;
    /// <summary>The pre-standard QinQ outer tag some switches still emit (libpcap's <c>ETHERTYPE_8021QINQ</c>).</summary>
    public const ushort QinQLegacy = 0x9100;

    /// <summary>Largest 802.3 length: a type/length field up to this value is a length, above it an EtherType.</summary>
    public const ushort MaximumEthernetLength = 1500;

    /// <summary>True for the tag protocol identifiers that introduce an 802.1Q/802.1ad tag.</summary>
    public static bool IsVlanTag(ushort etherType) =>
        etherType is Vlan or ProviderBridging or QinQLegacy;
}
