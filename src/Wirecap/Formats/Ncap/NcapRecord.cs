namespace Wirecap.Formats.Ncap;

/// <summary>One NCAP message as a view: the addresses and the payload are spans over a reader's
/// buffer or a frame, valid only until the next read. Build one with an object initializer to
/// write it; call <see cref="ToMessage"/> to keep it. A view read from encoded bytes is written by copying
/// them, unless a field was changed since (<c>with</c>).</summary>
public readonly ref struct NcapRecord
{
    private readonly uint _seconds;
    private readonly uint _nanoseconds;
    private readonly uint _user1;
    private readonly uint _user2;
    private readonly NcapNetwork _network;
    private readonly ReadOnlySpan<byte> _source;
    private readonly ReadOnlySpan<byte> _destination;
    private readonly NcapTransport _transport;
    private readonly ushort _sourcePort;
    private readonly ushort _destinationPort;
    private readonly uint _tcpOffset;
    private readonly NcapTcpFlags _tcpFlags;
    private readonly byte _icmpType;
    private readonly byte _icmpCode;
    private readonly ReadOnlySpan<byte> _payload;
    // The message's bytes in the portable format when this view was decoded from them and no field has been
    // set since (every init accessor clears it): writing the message then copies them instead of encoding again.
    private readonly ReadOnlySpan<byte> _encoded;

    /// <summary>Seconds since the Unix epoch.</summary>
    public uint Seconds { get => _seconds; init { _seconds = value; _encoded = default; } }
    /// <summary>Nanoseconds within the second (ncap writes captured microseconds × 1000).</summary>
    public uint Nanoseconds { get => _nanoseconds; init { _nanoseconds = value; _encoded = default; } }
    /// <summary>Application tag 1 (0 from capture).</summary>
    public uint User1 { get => _user1; init { _user1 = value; _encoded = default; } }
    /// <summary>Application tag 2 (0 from capture).</summary>
    public uint User2 { get => _user2; init { _user2 = value; _encoded = default; } }
    /// <summary>Which network union member is present.</summary>
    public NcapNetwork Network { get => _network; init { _network = value; _encoded = default; } }
    /// <summary>Source address (4 bytes for IPv4, 16 for IPv6).</summary>
    public ReadOnlySpan<byte> Source { get => _source; init { _source = value; _encoded = default; } }
    /// <summary>Destination address (4 bytes for IPv4, 16 for IPv6).</summary>
    public ReadOnlySpan<byte> Destination { get => _destination; init { _destination = value; _encoded = default; } }
    /// <summary>Which transport union member is present.</summary>
    public NcapTransport Transport { get => _transport; init { _transport = value; _encoded = default; } }
    /// <summary>UDP/TCP source port.</summary>
    public ushort SourcePort { get => _sourcePort; init { _sourcePort = value; _encoded = default; } }
    /// <summary>UDP/TCP destination port.</summary>
    public ushort DestinationPort { get => _destinationPort; init { _destinationPort = value; _encoded = default; } }
    /// <summary>TCP: the segment's offset in its stream.</summary>
    public uint TcpOffset { get => _tcpOffset; init { _tcpOffset = value; _encoded = default; } }
    /// <summary>TCP: segment flags.</summary>
    public NcapTcpFlags TcpFlags { get => _tcpFlags; init { _tcpFlags = value; _encoded = default; } }
    /// <summary>ICMP type.</summary>
    public byte IcmpType { get => _icmpType; init { _icmpType = value; _encoded = default; } }
    /// <summary>ICMP code.</summary>
    public byte IcmpCode { get => _icmpCode; init { _icmpCode = value; _encoded = default; } }
    /// <summary>The payload (for UDP the datagram's payload; for ICMP the bytes after the checksum).</summary>
    public ReadOnlySpan<byte> Payload { get => _payload; init { _payload = value; _encoded = default; } }

    /// <summary>The encoded message this view was decoded from (set last, by the decoder), or empty.</summary>
    internal ReadOnlySpan<byte> Encoded { get => _encoded; init => _encoded = value; }

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
