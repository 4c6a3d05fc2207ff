namespace Capture.Filter;

/// <summary>
/// Names of data-link types as <c>tcpdump -y</c> and libpcap's <c>pcap_datalink_name_to_val</c> spell
/// them (without the <c>DLT_</c> prefix), and their numbers.
/// </summary>
public static class DataLinkNames
{
    private static readonly (string Name, int Value)[] Table =
    [
        ("NULL", 0), ("EN10MB", 1), ("EN3MB", 2), ("AX25", 3), ("PRONET", 4), ("CHAOS", 5), ("IEEE802", 6),
        ("ARCNET", 7), ("SLIP", 8), ("PPP", 9), ("FDDI", 10), ("ATM_RFC1483", 11), ("RAW", 12),
        ("SLIP_BSDOS", 15), ("PPP_BSDOS", 16), ("ATM_CLIP", 19), ("PPP_SERIAL", 50), ("PPP_ETHER", 51),
        ("C_HDLC", 104), ("IEEE802_11", 105), ("FRELAY", 107), ("LOOP", 108), ("ENC", 109), ("LINUX_SLL", 113),
        ("LTALK", 114), ("PFLOG", 117), ("PRISM_HEADER", 119), ("IP_OVER_FC", 122), ("SUNATM", 123),
        ("IEEE802_11_RADIO", 127), ("ARCNET_LINUX", 129), ("MTP2_WITH_PHDR", 139), ("MTP2", 140), ("MTP3", 141),
        ("SCCP", 142), ("DOCSIS", 143), ("IEEE802_11_RADIO_AVS", 163), ("PPP_PPPD", 166), ("BACNET_MS_TP", 165),
        ("PPI", 192), ("IEEE802_15_4", 195), ("IPNET", 226), ("IPV4", 228), ("IPV6", 229), ("NETANALYZER", 240),
        ("NFLOG", 239), ("IPOIB", 242), ("LINUX_SLL2", 276), ("DSA_TAG_BRCM", 281), ("DSA_TAG_DSA", 284),
        ("USB_LINUX", 189), ("USB_LINUX_MMAPPED", 220), ("BLUETOOTH_HCI_H4", 187), ("CAN_SOCKETCAN", 227),
        ("NETLINK", 253), ("VSOCK", 271), ("ETHERNET_MPACKET", 274), ("ZWAVE_R1_R2", 261),
    ];

    /// <summary>Looks up a DLT by name (case-insensitive, with or without the <c>DLT_</c> prefix) or number.</summary>
    /// <param name="name">For example <c>EN10MB</c>, <c>DLT_LINUX_SLL</c> or <c>113</c>.</param>
    /// <param name="value">The DLT number.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryGetValue(string name, out int value)
    {
        var bare = name.StartsWith("DLT_", StringComparison.OrdinalIgnoreCase) ? name[4..] : name;
        foreach (var (n, v) in Table)
        {
            if (string.Equals(n, bare, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }
        return int.TryParse(bare, out value) && value >= 0;
    }

    /// <summary>The name of a DLT number, without the <c>DLT_</c> prefix.</summary>
    /// <param name="value">The DLT number.</param>
    /// <param name="name">Its name when known.</param>
    /// <returns>Whether the number is known.</returns>
    public static bool TryGetName(int value, out string name)
    {
        foreach (var (n, v) in Table)
        {
            if (v == value)
            {
                name = n;
                return true;
            }
        }
        name = "";
        return false;
    }
}
