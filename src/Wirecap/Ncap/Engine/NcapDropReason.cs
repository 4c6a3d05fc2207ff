namespace Wirecap.Ncap;

/// <summary>Why a captured frame did not become an NCAP message. Every frame not delivered is counted under one reason.</summary>
public enum NcapDropReason
{
    /// <summary>The link type has no decoder.</summary>
    UnsupportedLinkType,
    /// <summary>Captured shorter than it was on the wire (snap length): its IP payload is incomplete.</summary>
    Truncated,
    /// <summary>VLAN-tagged frames not in the source's VLAN list, or untagged frames when the list excludes them.</summary>
    VlanRejected,
    /// <summary>Not IPv4 or IPv6 (ARP and the like).</summary>
    NotIp,
    /// <summary>A header is cut short or inconsistent.</summary>
    Malformed,
    /// <summary>A transport NCAP does not carry (neither UDP, TCP, ICMP nor ICMPv6).</summary>
    UnsupportedProtocol,
    /// <summary>Fragments of datagrams given up by the reassembler (see <see cref="Wirecap.Decoding.ReassemblyStatistics"/> for why).</summary>
    FragmentDropped,
    /// <summary>Messages larger than <see cref="NcapEngineOptions.MaxMessageLength"/>.</summary>
    TooLarge,
    /// <summary>Rejected by the engine's NCAP filter.</summary>
    Filtered,
}
