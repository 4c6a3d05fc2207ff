namespace Wirecap.Decoding;

/// <summary>EtherType values (IEEE 802 numbers) the decoders recognise.</summary>
public static class EtherTypes
{
    /// <summary>Internet Protocol version 4.</summary>
    public const ushort IPv4 = 0x0800;
    /// <summary>Address Resolution Protocol.</summary>
    public const ushort Arp = 0x0806;
    /// <summary>Reverse ARP.</summary>
    public const ushort Rarp = 0x8035;
    /// <summary>IEEE 802.1Q VLAN tag (customer tag).</summary>
    public const ushort Vlan = 0x8100;
    /// <summary>Internet Protocol version 6.</summary>
    public const ushort IPv6 = 0x86DD;
    /// <summary>IEEE 802.1ad service tag (outer tag of QinQ).</summary>
    public const ushort QinQ = 0x88A8;
    /// <summary>Pre-standard QinQ outer tag some switches still emit.</summary>
    public const ushort QinQLegacy = 0x9100;

    /// <summary>True for the tag protocol identifiers that introduce an 802.1Q/802.1ad tag.</summary>
    public static bool IsVlanTag(ushort etherType) =>
        etherType is Vlan or QinQ or QinQLegacy;
}
