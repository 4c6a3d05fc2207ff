namespace Capture.Bpf;

/// <summary>The kernel's <c>skb-&gt;pkt_type</c> (<c>PACKET_*</c>), read by <c>SKF_AD_PKTTYPE</c>.</summary>
public enum BpfPacketType : byte
{
    /// <summary>PACKET_HOST: addressed to this host.</summary>
    Host = 0,
    /// <summary>PACKET_BROADCAST.</summary>
    Broadcast = 1,
    /// <summary>PACKET_MULTICAST.</summary>
    Multicast = 2,
    /// <summary>PACKET_OTHERHOST: addressed to another host (promiscuous mode).</summary>
    OtherHost = 3,
    /// <summary>PACKET_OUTGOING: sent by this host.</summary>
    Outgoing = 4,
    /// <summary>PACKET_LOOPBACK.</summary>
    Loopback = 5,
}
