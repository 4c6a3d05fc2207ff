namespace Wirecap.Filter.CodeGen;

/// <summary>How the current layer tells which protocol it carries.</summary>
internal enum LinkKind
{
    /// <summary>Ethernet II / 802.3 type-or-length field.</summary>
    Ethernet,
    /// <summary>Linux cooked capture (SLL, SLL2) protocol field.</summary>
    Cooked,
    /// <summary>Raw IP: the version nibble tells IPv4 from IPv6.</summary>
    RawIp,
    /// <summary>Only IPv4 packets.</summary>
    Ipv4Only,
    /// <summary>Only IPv6 packets.</summary>
    Ipv6Only,
    /// <summary>BSD loopback with a host-byte-order address family (DLT_NULL).</summary>
    NullHostOrder,
    /// <summary>BSD loopback with a network-byte-order address family (DLT_LOOP).</summary>
    LoopNetworkOrder,
    /// <summary>PPP protocol field (inside a PPPoE session).</summary>
    Ppp,
}
