using System.Collections.Frozen;

namespace Wirecap;

/// <summary>
/// Conversions between <see cref="LinkType"/> (the LINKTYPE_* numbers in files) and the DLT_*
/// numbers and names that libpcap and tcpdump use on the command line and in messages.
/// Unknown numbers pass through unchanged.
/// </summary>
public static class LinkTypes
{
    private readonly record struct Entry(LinkType Type, int Dlt, string Name, string Description);

    // Only the link types whose DLT number differs from the LINKTYPE number need a Dlt here
    // other than the same value; the table holds the DLT_* name tcpdump prints ("EN10MB").
    private static readonly Entry[] Table =
    [
        new(LinkType.Null, 0, "NULL", "BSD loopback"),
        new(LinkType.Ethernet, 1, "EN10MB", "Ethernet"),
        new(LinkType.Ax25, 3, "AX25", "Amateur Radio AX.25"),
        new(LinkType.Ieee802_5, 6, "IEEE802", "Token ring"),
        new(LinkType.ArcnetBsd, 7, "ARCNET", "BSD ARCNET"),
        new(LinkType.Slip, 8, "SLIP", "SLIP"),
        new(LinkType.Ppp, 9, "PPP", "PPP"),
        new(LinkType.Fddi, 10, "FDDI", "FDDI"),
        new(LinkType.PppHdlc, 50, "PPP_SERIAL", "PPP over serial"),
        new(LinkType.PppEther, 51, "PPP_ETHER", "PPPoE"),
        new(LinkType.AtmRfc1483, 11, "ATM_RFC1483", "RFC 1483 LLC-encapsulated ATM"),
        new(LinkType.Raw, 12, "RAW", "Raw IP"),
        new(LinkType.CiscoHdlc, 104, "C_HDLC", "Cisco HDLC"),
        new(LinkType.Ieee802_11, 105, "IEEE802_11", "802.11"),
        new(LinkType.FrameRelay, 107, "FRELAY", "Frame Relay"),
        new(LinkType.Loop, 108, "LOOP", "OpenBSD loopback"),
        new(LinkType.LinuxSll, 113, "LINUX_SLL", "Linux cooked v1"),
        new(LinkType.LocalTalk, 114, "LTALK", "Localtalk"),
        new(LinkType.Pflog, 117, "PFLOG", "OpenBSD pflog file"),
        new(LinkType.Ieee802_11Prism, 119, "PRISM_HEADER", "802.11 plus Prism header"),
        new(LinkType.IpOverFc, 122, "IP_OVER_FC", "RFC 2625 IP-over-Fibre Channel"),
        new(LinkType.SunAtm, 123, "SUNATM", "Sun raw ATM"),
        new(LinkType.Ieee802_11Radiotap, 127, "IEEE802_11_RADIO", "802.11 plus radiotap header"),
        new(LinkType.ArcnetLinux, 129, "ARCNET_LINUX", "Linux ARCNET"),
        new(LinkType.LinuxIrda, 144, "LINUX_IRDA", "Linux IrDA"),
        new(LinkType.Ieee802_11Avs, 163, "IEEE802_11_RADIO_AVS", "802.11 plus AVS radio information header"),
        new(LinkType.BacnetMsTp, 165, "BACNET_MS_TP", "BACnet MS/TP"),
        new(LinkType.PppPppd, 166, "PPP_PPPD", "PPP for pppd, with direction flag"),
        new(LinkType.LinuxLapd, 177, "LINUX_LAPD", "LAPD with Linux vISDN header"),
        new(LinkType.BluetoothHciH4, 187, "BLUETOOTH_HCI_H4", "Bluetooth HCI UART transport layer"),
        new(LinkType.UsbLinux, 189, "USB_LINUX", "USB with Linux header"),
        new(LinkType.Ppi, 192, "PPI", "Per-Packet Information"),
        new(LinkType.Ieee802_15_4WithFcs, 195, "IEEE802_15_4", "IEEE 802.15.4 with FCS"),
        new(LinkType.Erf, 197, "ERF", "Endace ERF header"),
        new(LinkType.BluetoothHciH4WithPhdr, 201, "BLUETOOTH_HCI_H4_WITH_PHDR", "Bluetooth HCI UART transport layer plus pseudo-header"),
        new(LinkType.Lapd, 203, "LAPD", "Link Access Procedures on the D Channel"),
        new(LinkType.PppWithDirection, 204, "PPP_WITH_DIR", "PPP with Directional Info"),
        new(LinkType.UsbLinuxMmapped, 220, "USB_LINUX_MMAPPED", "USB with padded Linux header"),
        new(LinkType.Ipnet, 226, "IPNET", "Solaris ipnet"),
        new(LinkType.CanSocketCan, 227, "CAN_SOCKETCAN", "CAN-bus with SocketCAN headers"),
        new(LinkType.Ipv4, 228, "IPV4", "Raw IPv4"),
        new(LinkType.Ipv6, 229, "IPV6", "Raw IPv6"),
        new(LinkType.Ieee802_15_4NoFcs, 230, "IEEE802_15_4_NOFCS", "IEEE 802.15.4 without FCS"),
        new(LinkType.DBus, 231, "DBUS", "D-Bus"),
        new(LinkType.Nflog, 239, "NFLOG", "Linux netfilter log messages"),
        new(LinkType.IpOverInfiniband, 242, "IPOIB", "RFC 4391 IP-over-Infiniband"),
        new(LinkType.Mpeg2Ts, 243, "MPEG_2_TS", "MPEG-2 transport stream"),
        new(LinkType.Sctp, 248, "SCTP", "SCTP"),
        new(LinkType.UsbPcap, 249, "USBPCAP", "USB with USBPcap header"),
        new(LinkType.BluetoothLeLinkLayer, 251, "BLUETOOTH_LE_LL", "Bluetooth Low Energy air interface"),
        new(LinkType.Netlink, 253, "NETLINK", "Linux netlink"),
        new(LinkType.BluetoothLinuxMonitor, 254, "BLUETOOTH_LINUX_MONITOR", "Bluetooth Linux Monitor"),
        new(LinkType.Pktap, 258, "PKTAP", "Apple PKTAP"),
        new(LinkType.Vsock, 271, "VSOCK", "Linux vsock"),
        new(LinkType.EthernetMpacket, 274, "ETHERNET_MPACKET", "802.3br mPackets"),
        new(LinkType.LinuxSll2, 276, "LINUX_SLL2", "Linux cooked v2"),
        new(LinkType.DsaTagBrcm, 281, "DSA_TAG_BRCM", "Broadcom tag"),
        new(LinkType.DsaTagBrcmPrepend, 282, "DSA_TAG_BRCM_PREPEND", "Broadcom tag (prepended)"),
        new(LinkType.DsaTagDsa, 284, "DSA_TAG_DSA", "Marvell DSA"),
        new(LinkType.DsaTagEdsa, 285, "DSA_TAG_EDSA", "Marvell EDSA"),
    ];

    private static readonly FrozenDictionary<LinkType, Entry> ByType = Table.ToFrozenDictionary(e => e.Type);
    private static readonly FrozenDictionary<string, Entry> ByName =
        Table.ToFrozenDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Converts a DLT_* number as used by libpcap on a platform to the LINKTYPE_* value stored in
    /// files. Numbers that are the same in both spaces, and unknown numbers, are returned unchanged.
    /// </summary>
    public static LinkType FromDlt(int dlt) => dlt switch
    {
        11 => LinkType.AtmRfc1483,
        12 or 14 => LinkType.Raw,   // DLT_RAW is 14 on OpenBSD, 12 elsewhere
        15 => (LinkType)102,        // DLT_SLIP_BSDOS
        16 => (LinkType)103,        // DLT_PPP_BSDOS
        19 => (LinkType)106,        // DLT_ATM_CLIP
        _ => (LinkType)dlt,
    };

    /// <summary>
    /// Converts a LINKTYPE_* value to the DLT_* number libpcap uses on Linux. Values that are the
    /// same in both spaces, and unknown values, are returned unchanged.
    /// </summary>
    public static int ToDlt(LinkType linkType) => (int)linkType switch
    {
        100 => 11,
        101 => 12,
        102 => 15,
        103 => 16,
        106 => 19,
        var same => same,
    };

    /// <summary>
    /// The DLT name tcpdump prints and accepts for a link type ("EN10MB", "RAW", "LINUX_SLL2"),
    /// or null for a link type this library does not name.
    /// </summary>
    public static string? GetName(LinkType linkType) => ByType.TryGetValue(linkType, out var e) ? e.Name : null;

    /// <summary>
    /// A short human description of a link type ("Ethernet", "Linux cooked v2"), or null when unknown.
    /// </summary>
    public static string? GetDescription(LinkType linkType) => ByType.TryGetValue(linkType, out var e) ? e.Description : null;

    /// <summary>
    /// Looks up a link type by its DLT name, with or without the "DLT_" prefix, ignoring case
    /// ("EN10MB", "dlt_raw", "LINUX_SLL2").
    /// </summary>
    public static bool TryParse(string name, out LinkType linkType)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.StartsWith("DLT_", StringComparison.OrdinalIgnoreCase) ? name[4..] : name;
        if (ByName.TryGetValue(key, out var e))
        {
            linkType = e.Type;
            return true;
        }
        linkType = default;
        return false;
    }

    /// <summary>libpcap's MAXIMUM_SNAPLEN: the largest snap length of most link types (262144).</summary>
    public const int UsualMaximumSnapLength = 262144;

    /// <summary>
    /// The largest snap length libpcap allows for <paramref name="linkType"/>: 262144 for most, more for
    /// D-Bus (128 MiB), EBHSCR (8 MiB) and USBPcap (1 MiB), whose messages may be longer than any frame.
    /// </summary>
    public static int MaximumSnapLength(LinkType linkType) => (int)linkType switch
    {
        (int)LinkType.DBus => 128 * 1024 * 1024,
        279 => 8 * 1024 * 1024, // LINKTYPE_EBHSCR
        (int)LinkType.UsbPcap => 1024 * 1024,
        _ => UsualMaximumSnapLength,
    };

    /// <summary>
    /// The snap length libpcap (1.10) applies to an interface of <paramref name="linkType"/> described with
    /// <paramref name="snapLength"/>: zero (or a value beyond <see cref="int.MaxValue"/>, read as zero) means
    /// <see cref="MaximumSnapLength"/>; any other value is kept, even above that maximum.
    /// </summary>
    public static int EffectiveSnapLength(LinkType linkType, int snapLength) =>
        snapLength <= 0 ? MaximumSnapLength(linkType) : snapLength;
}
