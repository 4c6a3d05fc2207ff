namespace Wirecap.Formats.Ncap;

/// <summary>The network union of an NCAP message.</summary>
public enum NcapNetwork : ushort
{
    /// <summary>IPv4: 4-byte source and destination.</summary>
    IPv4 = 0,
    /// <summary>IPv6: 16-byte source and destination.</summary>
    IPv6 = 1,
}

/// <summary>The transport union of an NCAP message.</summary>
public enum NcapTransport : ushort
{
    /// <summary>UDP: source and destination port.</summary>
    Udp = 0,
    /// <summary>TCP: ports, stream offset and segment flags.</summary>
    Tcp = 1,
    /// <summary>ICMP: type and code.</summary>
    Icmp = 2,
}

/// <summary>Segment flags of an NCAP TCP message (ncap's <c>ncap_tcp_*</c>; they describe the
/// segment's place in a stream, not the TCP header flags).</summary>
[Flags]
public enum NcapTcpFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>First segment of the stream (ncap_tcp_syn).</summary>
    FirstSegment = 0x1,
    /// <summary>Last segment of the stream (ncap_tcp_fin).</summary>
    LastSegment = 0x2,
    /// <summary>The stream was reset (ncap_tcp_rst).</summary>
    Reset = 0x4,
    /// <summary>The segment's checksum did not verify (ncap_tcp_sum).</summary>
    ChecksumFailed = 0x8,
}
