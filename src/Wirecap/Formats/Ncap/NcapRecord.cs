namespace Wirecap.Formats.Ncap;

/// <summary>One NCAP message as a view: the addresses and the payload are spans over a reader's
/// buffer or a frame, valid only until the next read. Build one with an object initializer to
/// write it; call <see cref="ToMessage"/> to keep it.</summary>
public readonly ref struct NcapRecord
{
    /// <summary>Seconds since the Unix epoch.</summary>
    public uint Seconds { get; init; }
    /// <summary>Nanoseconds within the second (ncap writes captured microseconds × 1000).</summary>
    public uint Nanoseconds { get; init; }
    /// <summary>Application tag 1 (0 from capture).</summary>
    public uint User1 { get; init; }
    /// <summary>Application tag 2 (0 from capture).</summary>
    public uint User2 { get; init; }
    /// <summary>Which network union member is present.</summary>
    public NcapNetwork Network { get; init; }
    /// <summary>Source address (4 bytes for IPv4, 16 for IPv6).</summary>
    public ReadOnlySpan<byte> Source { get; init; }
    /// <summary>Destination address (4 bytes for IPv4, 16 for IPv6).</summary>
    public ReadOnlySpan<byte> Destination { get; init; }
    /// <summary>Which transport union member is present.</summary>
    public NcapTransport Transport { get; init; }
    /// <summary>UDP/TCP source port.</summary>
    public ushort SourcePort { get; init; }
    /// <summary>UDP/TCP destination port.</summary>
    public ushort DestinationPort { get; init; }
    /// <summary>TCP: the segment's offset in its stream.</summary>
    public uint TcpOffset { get; init; }
    /// <summary>TCP: segment flags.</summary>
    public NcapTcpFlags TcpFlags { get; init; }
    /// <summary>ICMP type.</summary>
    public byte IcmpType { get; init; }
    /// <summary>ICMP code.</summary>
    public byte IcmpCode { get; init; }
    /// <summary>The payload (for UDP the datagram's payload; for ICMP the bytes after the checksum).</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>The timestamp in nanoseconds since the Unix epoch.</summary>
    public long TimestampNanoseconds => Seconds * 1_000_000_000L + Nanoseconds;

    /// <summary>The timestamp (to the 100 ns tick).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.UnixEpoch.AddTicks(TimestampNanoseconds / 100);

    /// <summary>Bytes this message takes in the portable format, padding included.</summary>
    public int EncodedLength
    {
        get
        {
            long length = UnpaddedLength;
            return checked((int)(length + NcapLayout.Padding(length)));
        }
    }

    internal long UnpaddedLength =>
        NcapLayout.FixedLength + NcapLayout.NetworkLength(Network) + NcapLayout.TransportLength(Transport) + (long)Payload.Length;

    /// <summary>Copies the view into an owned message.</summary>
    public NcapMessage ToMessage() => new()
    {
        Seconds = Seconds,
        Nanoseconds = Nanoseconds,
        User1 = User1,
        User2 = User2,
        Source = new System.Net.IPAddress(Source),
        Destination = new System.Net.IPAddress(Destination),
        Transport = Transport,
        SourcePort = SourcePort,
        DestinationPort = DestinationPort,
        TcpOffset = TcpOffset,
        TcpFlags = TcpFlags,
        IcmpType = IcmpType,
        IcmpCode = IcmpCode,
        Payload = Payload.ToArray(),
    };

    /// <summary>Throws <see cref="ArgumentException"/> when the unions are inconsistent (an address
    /// of the wrong length, an unknown union type).</summary>
    public void Validate()
    {
        int addressLength = NcapLayout.AddressLength(Network);
        if (addressLength <= 0)
            throw new ArgumentException($"unknown NCAP network type {(ushort)Network}", nameof(Network));
        if (NcapLayout.TransportLength(Transport) < 0)
            throw new ArgumentException($"unknown NCAP transport type {(ushort)Transport}", nameof(Transport));
        if (Source.Length != addressLength || Destination.Length != addressLength)
            throw new ArgumentException(
                $"{Network} needs {addressLength}-byte addresses, got {Source.Length} and {Destination.Length}", nameof(Source));
        if (UnpaddedLength > uint.MaxValue - 3)
            throw new ArgumentException($"payload of {Payload.Length} bytes does not fit an NCAP message", nameof(Payload));
    }
}
