namespace Capture.Ncap;

/// <summary>The transport member of an NCAP message.</summary>
public enum NcapFilterTransport
{
    /// <summary>UDP.</summary>
    Udp,
    /// <summary>TCP.</summary>
    Tcp,
    /// <summary>ICMP or ICMPv6.</summary>
    Icmp,
}

/// <summary>What filter rules look at in a message; a view, nothing copied.</summary>
public readonly ref struct NcapFields
{
    /// <summary>True when the addresses are IPv6.</summary>
    public bool IsIPv6 { get; init; }
    /// <summary>Source address bytes (4 or 16).</summary>
    public ReadOnlySpan<byte> Source { get; init; }
    /// <summary>Destination address bytes (4 or 16).</summary>
    public ReadOnlySpan<byte> Destination { get; init; }
    /// <summary>Transport kind.</summary>
    public NcapFilterTransport Transport { get; init; }
    /// <summary>UDP/TCP source port.</summary>
    public ushort SourcePort { get; init; }
    /// <summary>UDP/TCP destination port.</summary>
    public ushort DestinationPort { get; init; }
    /// <summary>ICMP type.</summary>
    public byte IcmpType { get; init; }
    /// <summary>ICMP code.</summary>
    public byte IcmpCode { get; init; }
    /// <summary>Transport payload (the DNS message for DNS over UDP).</summary>
    public ReadOnlySpan<byte> Payload { get; init; }
}
