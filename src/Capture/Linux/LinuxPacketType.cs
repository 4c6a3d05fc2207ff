namespace Capture.Linux;

/// <summary>The kernel's classification of a packet (<c>sll_pkttype</c>, <c>PACKET_*</c> in <c>linux/if_packet.h</c>).</summary>
public enum LinuxPacketType : byte
{
    /// <summary>Addressed to this host.</summary>
    Host = 0,

    /// <summary>Link-layer broadcast.</summary>
    Broadcast = 1,

    /// <summary>Link-layer multicast.</summary>
    Multicast = 2,

    /// <summary>Addressed to another host (seen in promiscuous mode).</summary>
    OtherHost = 3,

    /// <summary>Sent by this host.</summary>
    Outgoing = 4,
}
