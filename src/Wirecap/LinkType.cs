namespace Wirecap;

/// <summary>
/// The link-layer header type of a capture, as the LINKTYPE_* values stored in pcap and pcapng
/// files (tcpdump.org/linktypes.html). Values not named here are still valid: cast the number.
/// Where the platform's DLT_* number differs (DLT_RAW is 12 or 14, LINKTYPE_RAW is 101), use
/// <see cref="LinkTypes"/> to convert.
/// </summary>
public enum LinkType
{
    /// <summary>BSD loopback: a 4-byte protocol family in host byte order of the writer.</summary>
    Null = 0,
    /// <summary>Ethernet (10 Mb and up); DLT_EN10MB.</summary>
    Ethernet = 1,
    /// <summary>AX.25 amateur radio.</summary>
    Ax25 = 3,
    /// <summary>IEEE 802.5 Token Ring.</summary>
    Ieee802_5 = 6,
    /// <summary>ARCNET, BSD style.</summary>
    ArcnetBsd = 7,
    /// <summary>SLIP.</summary>
    Slip = 8,
    /// <summary>PPP with the HDLC-like framing of RFC 1661.</summary>
    Ppp = 9,
    /// <summary>FDDI.</summary>
    Fddi = 10,
    /// <summary>PPP in HDLC-like framing (RFC 1662); DLT_PPP_SERIAL.</summary>
    PppHdlc = 50,
    /// <summary>PPPoE session.</summary>
    PppEther = 51,
    /// <summary>RFC 1483 LLC/SNAP encapsulated ATM; DLT_ATM_RFC1483 (11).</summary>
    AtmRfc1483 = 100,
    /// <summary>Raw IP, version in the first nibble; DLT_RAW (12, or 14 on OpenBSD).</summary>
    Raw = 101,
    /// <summary>Cisco HDLC.</summary>
    CiscoHdlc = 104,
    /// <summary>IEEE 802.11 without radio header.</summary>
    Ieee802_11 = 105,
    /// <summary>Frame Relay.</summary>
    FrameRelay = 107,
    /// <summary>OpenBSD loopback: a 4-byte protocol family in network byte order.</summary>
    Loop = 108,
    /// <summary>Linux "cooked" capture, version 1 (16-byte header).</summary>
    LinuxSll = 113,
    /// <summary>Apple LocalTalk.</summary>
    LocalTalk = 114,
    /// <summary>OpenBSD pflog.</summary>
    Pflog = 117,
    /// <summary>IEEE 802.11 with a Prism header.</summary>
    Ieee802_11Prism = 119,
    /// <summary>IP over Fibre Channel.</summary>
    IpOverFc = 122,
    /// <summary>SunATM.</summary>
    SunAtm = 123,
    /// <summary>IEEE 802.11 with a radiotap header.</summary>
    Ieee802_11Radiotap = 127,
    /// <summary>ARCNET, Linux style.</summary>
    ArcnetLinux = 129,
    /// <summary>Linux IrDA.</summary>
    LinuxIrda = 144,
    /// <summary>IEEE 802.11 with an AVS header.</summary>
    Ieee802_11Avs = 163,
    /// <summary>BACnet MS/TP.</summary>
    BacnetMsTp = 165,
    /// <summary>PPP as written by pppd, with a direction byte.</summary>
    PppPppd = 166,
    /// <summary>Linux LAPD.</summary>
    LinuxLapd = 177,
    /// <summary>Bluetooth HCI UART (H4).</summary>
    BluetoothHciH4 = 187,
    /// <summary>Linux USB (usbmon), 48-byte header.</summary>
    UsbLinux = 189,
    /// <summary>Per-Packet Information header.</summary>
    Ppi = 192,
    /// <summary>IEEE 802.15.4 with FCS.</summary>
    Ieee802_15_4WithFcs = 195,
    /// <summary>Endace ERF.</summary>
    Erf = 197,
    /// <summary>Bluetooth HCI UART with a direction pseudo-header.</summary>
    BluetoothHciH4WithPhdr = 201,
    /// <summary>LAPD (Q.921) with a pseudo-header.</summary>
    Lapd = 203,
    /// <summary>PPP with a direction byte.</summary>
    PppWithDirection = 204,
    /// <summary>Linux USB (usbmon), 64-byte memory-mapped header.</summary>
    UsbLinuxMmapped = 220,
    /// <summary>Solaris ipnet.</summary>
    Ipnet = 226,
    /// <summary>Linux SocketCAN.</summary>
    CanSocketCan = 227,
    /// <summary>Raw IPv4, no link header.</summary>
    Ipv4 = 228,
    /// <summary>Raw IPv6, no link header.</summary>
    Ipv6 = 229,
    /// <summary>IEEE 802.15.4 without FCS.</summary>
    Ieee802_15_4NoFcs = 230,
    /// <summary>D-Bus messages.</summary>
    DBus = 231,
    /// <summary>Linux netfilter NFLOG.</summary>
    Nflog = 239,
    /// <summary>IP over InfiniBand.</summary>
    IpOverInfiniband = 242,
    /// <summary>MPEG-2 transport stream.</summary>
    Mpeg2Ts = 243,
    /// <summary>SCTP without an IP header.</summary>
    Sctp = 248,
    /// <summary>Windows USBPcap.</summary>
    UsbPcap = 249,
    /// <summary>Bluetooth LE link layer.</summary>
    BluetoothLeLinkLayer = 251,
    /// <summary>Linux netlink.</summary>
    Netlink = 253,
    /// <summary>Bluetooth Linux monitor.</summary>
    BluetoothLinuxMonitor = 254,
    /// <summary>Apple PKTAP.</summary>
    Pktap = 258,
    /// <summary>Linux vsock.</summary>
    Vsock = 271,
    /// <summary>Ethernet with preamble, for IEEE 802.3br mPackets.</summary>
    EthernetMpacket = 274,
    /// <summary>Linux "cooked" capture, version 2 (20-byte header).</summary>
    LinuxSll2 = 276,
    /// <summary>Broadcom DSA tag.</summary>
    DsaTagBrcm = 281,
    /// <summary>Broadcom DSA tag prepended.</summary>
    DsaTagBrcmPrepend = 282,
    /// <summary>Marvell DSA tag.</summary>
    DsaTagDsa = 284,
    /// <summary>Marvell EDSA tag.</summary>
    DsaTagEdsa = 285,
}
