namespace Capture.Injection;

/// <summary>The Linux packet type (<c>sll_pkttype</c>) of an injected frame: which way it went.</summary>
public enum CookedPacketType : byte
{
    /// <summary>To this host (PACKET_HOST).</summary>
    Host = 0,
    /// <summary>Broadcast (PACKET_BROADCAST).</summary>
    Broadcast = 1,
    /// <summary>Multicast (PACKET_MULTICAST).</summary>
    Multicast = 2,
    /// <summary>To another host (PACKET_OTHERHOST).</summary>
    OtherHost = 3,
    /// <summary>Sent by this host (PACKET_OUTGOING).</summary>
    Outgoing = 4,
}
