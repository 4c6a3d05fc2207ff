namespace Wirecap.Filter.Syntax;

/// <summary>Reserved words of the pcap-filter language (several spellings may map to one).</summary>
internal enum Keyword
{
    None,
    // Direction and address-type qualifiers.
    Src, Dst, Host, Gateway, Net, Mask, Port, PortRange, Proto, ProtoChain,
    Addr1, Addr2, Addr3, Addr4, Ra, Ta,
    // Protocol qualifiers (pname).
    Link, Ip, Arp, Rarp, Sctp, Tcp, Udp, Icmp, Igmp, Igrp, Pim, Vrrp, Carp, Atalk, Aarp, Decnet, Lat, Sca,
    MopRc, MopDl, Ip6, Icmp6, Ah, Esp, Iso, Esis, Isis, L1, L2, Iih, Lsp, Snp, Csnp, Psnp, Clnp, Stp, Ipx,
    NetBeui, Radio,
    // Boolean operators.
    And, Or, Not,
    // Other primitives.
    Broadcast, Multicast, Less, Greater, Byte, Len, Inbound, Outbound, IfIndex, Vlan, Mpls, PppoeDiscovery,
    PppoeSession, Geneve, Vxlan, BatAdv, Llc,
    // Primitives of link types we do not generate code for (refused with libpcap's text).
    Lane, Metac, Bcc, Oam, Oamf4, Oamf4Ec, Oamf4Sc, Sc, Ilmic, Vpi, Vci, ConnectMsg, MetaConnect,
    PfIfName, PfRuleSet, PfRuleNumber, PfSubRuleNumber, PfReason, PfAction,
    Fisu, Lssu, Msu, Hfisu, Hlssu, Hmsu, Sio, Opc, Dpc, Sls, Hsio, Hopc, Hdpc, Hsls,
    Type, Subtype, Dir,
}

/// <summary>Spellings of the reserved words and the named numeric constants.</summary>
internal static class KeywordTable
{
    private static readonly Dictionary<string, Keyword> Words = new(StringComparer.Ordinal)
    {
        ["src"] = Keyword.Src, ["dst"] = Keyword.Dst, ["host"] = Keyword.Host, ["gateway"] = Keyword.Gateway,
        ["net"] = Keyword.Net, ["mask"] = Keyword.Mask, ["port"] = Keyword.Port, ["portrange"] = Keyword.PortRange,
        ["proto"] = Keyword.Proto, ["protochain"] = Keyword.ProtoChain,
        ["addr1"] = Keyword.Addr1, ["address1"] = Keyword.Addr1, ["addr2"] = Keyword.Addr2, ["address2"] = Keyword.Addr2,
        ["addr3"] = Keyword.Addr3, ["address3"] = Keyword.Addr3, ["addr4"] = Keyword.Addr4, ["address4"] = Keyword.Addr4,
        ["ra"] = Keyword.Ra, ["ta"] = Keyword.Ta,
        ["link"] = Keyword.Link, ["ether"] = Keyword.Link, ["ppp"] = Keyword.Link, ["slip"] = Keyword.Link,
        ["fddi"] = Keyword.Link, ["tr"] = Keyword.Link, ["wlan"] = Keyword.Link,
        ["ip"] = Keyword.Ip, ["arp"] = Keyword.Arp, ["rarp"] = Keyword.Rarp, ["sctp"] = Keyword.Sctp,
        ["tcp"] = Keyword.Tcp, ["udp"] = Keyword.Udp, ["icmp"] = Keyword.Icmp, ["igmp"] = Keyword.Igmp,
        ["igrp"] = Keyword.Igrp, ["pim"] = Keyword.Pim, ["vrrp"] = Keyword.Vrrp, ["carp"] = Keyword.Carp,
        ["atalk"] = Keyword.Atalk, ["aarp"] = Keyword.Aarp, ["decnet"] = Keyword.Decnet, ["lat"] = Keyword.Lat,
        ["sca"] = Keyword.Sca, ["moprc"] = Keyword.MopRc, ["mopdl"] = Keyword.MopDl, ["ip6"] = Keyword.Ip6,
        ["icmp6"] = Keyword.Icmp6, ["ah"] = Keyword.Ah, ["esp"] = Keyword.Esp, ["iso"] = Keyword.Iso,
        ["esis"] = Keyword.Esis, ["es-is"] = Keyword.Esis, ["isis"] = Keyword.Isis, ["is-is"] = Keyword.Isis,
        ["l1"] = Keyword.L1, ["l2"] = Keyword.L2, ["iih"] = Keyword.Iih, ["lsp"] = Keyword.Lsp, ["snp"] = Keyword.Snp,
        ["csnp"] = Keyword.Csnp, ["psnp"] = Keyword.Psnp, ["clnp"] = Keyword.Clnp, ["stp"] = Keyword.Stp,
        ["ipx"] = Keyword.Ipx, ["netbeui"] = Keyword.NetBeui, ["radio"] = Keyword.Radio,
        ["and"] = Keyword.And, ["or"] = Keyword.Or, ["not"] = Keyword.Not,
        ["broadcast"] = Keyword.Broadcast, ["multicast"] = Keyword.Multicast, ["less"] = Keyword.Less,
        ["greater"] = Keyword.Greater, ["byte"] = Keyword.Byte, ["len"] = Keyword.Len, ["length"] = Keyword.Len,
        ["inbound"] = Keyword.Inbound, ["outbound"] = Keyword.Outbound, ["ifindex"] = Keyword.IfIndex,
        ["vlan"] = Keyword.Vlan, ["mpls"] = Keyword.Mpls, ["pppoed"] = Keyword.PppoeDiscovery,
        ["pppoes"] = Keyword.PppoeSession, ["geneve"] = Keyword.Geneve, ["vxlan"] = Keyword.Vxlan,
        ["batadv"] = Keyword.BatAdv, ["llc"] = Keyword.Llc,
        ["lane"] = Keyword.Lane, ["metac"] = Keyword.Metac, ["bcc"] = Keyword.Bcc, ["oam"] = Keyword.Oam,
        ["oamf4"] = Keyword.Oamf4, ["oamf4ec"] = Keyword.Oamf4Ec, ["oamf4sc"] = Keyword.Oamf4Sc, ["sc"] = Keyword.Sc,
        ["ilmic"] = Keyword.Ilmic, ["vpi"] = Keyword.Vpi, ["vci"] = Keyword.Vci, ["connectmsg"] = Keyword.ConnectMsg,
        ["metaconnect"] = Keyword.MetaConnect,
        ["on"] = Keyword.PfIfName, ["ifname"] = Keyword.PfIfName, ["rset"] = Keyword.PfRuleSet,
        ["ruleset"] = Keyword.PfRuleSet, ["rnr"] = Keyword.PfRuleNumber, ["rulenum"] = Keyword.PfRuleNumber,
        ["srnr"] = Keyword.PfSubRuleNumber, ["subrulenum"] = Keyword.PfSubRuleNumber, ["reason"] = Keyword.PfReason,
        ["action"] = Keyword.PfAction,
        ["fisu"] = Keyword.Fisu, ["lssu"] = Keyword.Lssu, ["lsu"] = Keyword.Lssu, ["msu"] = Keyword.Msu,
        ["hfisu"] = Keyword.Hfisu, ["hlssu"] = Keyword.Hlssu, ["hmsu"] = Keyword.Hmsu,
        ["sio"] = Keyword.Sio, ["opc"] = Keyword.Opc, ["dpc"] = Keyword.Dpc, ["sls"] = Keyword.Sls,
        ["hsio"] = Keyword.Hsio, ["hopc"] = Keyword.Hopc, ["hdpc"] = Keyword.Hdpc, ["hsls"] = Keyword.Hsls,
        ["type"] = Keyword.Type, ["subtype"] = Keyword.Subtype, ["dir"] = Keyword.Dir, ["direction"] = Keyword.Dir,
    };

    /// <summary>Names the scanner turns straight into numbers (offsets, ICMP types, TCP flags).</summary>
    private static readonly Dictionary<string, uint> Constants = new(StringComparer.Ordinal)
    {
        ["icmptype"] = 0, ["icmpcode"] = 1,
        ["icmp-echoreply"] = 0, ["icmp-unreach"] = 3, ["icmp-sourcequench"] = 4, ["icmp-redirect"] = 5,
        ["icmp-echo"] = 8, ["icmp-routeradvert"] = 9, ["icmp-routersolicit"] = 10, ["icmp-timxceed"] = 11,
        ["icmp-paramprob"] = 12, ["icmp-tstamp"] = 13, ["icmp-tstampreply"] = 14, ["icmp-ireq"] = 15,
        ["icmp-ireqreply"] = 16, ["icmp-maskreq"] = 17, ["icmp-maskreply"] = 18,
        ["icmp6type"] = 0, ["icmp6code"] = 1,
        ["icmp6-destinationunreach"] = 1, ["icmp6-packettoobig"] = 2, ["icmp6-timeexceeded"] = 3,
        ["icmp6-parameterproblem"] = 4, ["icmp6-echo"] = 128, ["icmp6-echoreply"] = 129,
        ["icmp6-multicastlistenerquery"] = 130, ["icmp6-multicastlistenerreportv1"] = 131,
        ["icmp6-multicastlistenerdone"] = 132, ["icmp6-routersolicit"] = 133, ["icmp6-routeradvert"] = 134,
        ["icmp6-neighborsolicit"] = 135, ["icmp6-neighboradvert"] = 136, ["icmp6-redirect"] = 137,
        ["icmp6-routerrenum"] = 138, ["icmp6-nodeinformationquery"] = 139, ["icmp6-nodeinformationresponse"] = 140,
        ["icmp6-ineighbordiscoverysolicit"] = 141, ["icmp6-ineighbordiscoveryadvert"] = 142,
        ["icmp6-multicastlistenerreportv2"] = 143, ["icmp6-homeagentdiscoveryrequest"] = 144,
        ["icmp6-homeagentdiscoveryreply"] = 145, ["icmp6-mobileprefixsolicit"] = 146,
        ["icmp6-mobileprefixadvert"] = 147, ["icmp6-certpathsolicit"] = 148, ["icmp6-certpathadvert"] = 149,
        ["icmp6-multicastrouteradvert"] = 151, ["icmp6-multicastroutersolicit"] = 152,
        ["icmp6-multicastrouterterm"] = 153,
        ["tcpflags"] = 13, ["tcp-fin"] = 0x01, ["tcp-syn"] = 0x02, ["tcp-rst"] = 0x04, ["tcp-push"] = 0x08,
        ["tcp-ack"] = 0x10, ["tcp-urg"] = 0x20, ["tcp-ece"] = 0x40, ["tcp-cwr"] = 0x80,
    };

    public static bool TryGetKeyword(string word, out Keyword keyword) => Words.TryGetValue(word, out keyword);

    public static bool TryGetConstant(string word, out uint value) => Constants.TryGetValue(word, out value);

    /// <summary>The canonical spelling, as libpcap prints it in messages.</summary>
    public static string Spell(Keyword keyword) => keyword switch
    {
        Keyword.Link => "link",
        Keyword.Esis => "esis",
        Keyword.Isis => "isis",
        Keyword.Addr1 => "addr1",
        Keyword.Addr2 => "addr2",
        Keyword.Addr3 => "addr3",
        Keyword.Addr4 => "addr4",
        _ => Words.First(pair => pair.Value == keyword).Key,
    };
}
