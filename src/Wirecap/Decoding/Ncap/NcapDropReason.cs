namespace Wirecap.Decoding;

/// <summary>Why a captured frame did not become an NCAP message. Every frame not delivered is counted under one
/// reason: by <see cref="FrameToNcapConverter"/> for the conversion, by the engine for size and filter.</summary>
public enum NcapDropReason
{
    /// <summary>The link type has no decoder.</summary>
    UnsupportedLinkType,
    /// <summary>Captured shorter than it was on the wire (snap length): its IP payload is incomplete.</summary>
    Truncated,
    /// <summary>VLAN-tagged frames not in the VLAN list, or untagged frames when the list excludes them.</summary>
    VlanRejected,
    /// <summary>Not IPv4 or IPv6 (ARP and the like).</summary>
    NotIp,
    /// <summary>A header is cut short or inconsistent.</summary>
    Malformed,
    /// <summary>A transport the options do not convert (NCAP carries UDP, TCP, ICMP and ICMPv6).</summary>
    UnsupportedProtocol,
    /// <summary>Fragments of datagrams given up by the reassembler (see <see cref="ReassemblyStatistics"/> for why).</summary>
    FragmentDropped,
    /// <summary>Messages larger than the engine's <c>MaxMessageLength</c>.</summary>
    TooLarge,
    /// <summary>Rejected by the engine's filter.</summary>
    Filtered,
}
