namespace Wirecap;

/// <summary>
/// The Linux kernel's classification of a packet (<c>skb-&gt;pkt_type</c>, <c>PACKET_*</c> in
/// <c>linux/if_packet.h</c>): what a packet socket reports as <c>sll_pkttype</c>, what the cooked
/// link-layer headers record, and what a BPF program reads with <c>SKF_AD_PKTTYPE</c>.
/// </summary>
/// <remarks>Sixteen bits wide because the cooked v1 header carries it in a 16-bit field; every
/// value the kernel uses fits a byte.</remarks>
public enum LinuxPacketType : ushort
{
    /// <summary>PACKET_HOST: addressed to this host.</summary>
    Host = 0,

    /// <summary>PACKET_BROADCAST: link-layer broadcast by another host.</summary>
    Broadcast = 1,

    /// <summary>PACKET_MULTICAST: link-layer multicast by another host.</summary>
    Multicast = 2,

    /// <summary>PACKET_OTHERHOST: addressed to another host (seen in promiscuous mode).</summary>
    OtherHost = 3,

    /// <summary>PACKET_OUTGOING: sent by this host.</summary>
    Outgoing = 4,

    /// <summary>PACKET_LOOPBACK: sent by this host and looped back to it (such as its own multicast).</summary>
    Loopback = 5,
}
