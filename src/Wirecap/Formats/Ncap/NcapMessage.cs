using System.Net;
using System.Net.Sockets;

namespace Wirecap.Formats.Ncap;

/// <summary>An owned NCAP message (the in-memory <c>ncap_msg</c>). The network union follows
/// the address family of <see cref="Source"/>.</summary>
public sealed class NcapMessage : IEquatable<NcapMessage>
{
    /// <summary>Seconds since the Unix epoch.</summary>
    public uint Seconds { get; init; }
    /// <summary>Nanoseconds within the second.</summary>
    public uint Nanoseconds { get; init; }
    /// <summary>Application tag 1.</summary>
    public uint User1 { get; init; }
    /// <summary>Application tag 2.</summary>
    public uint User2 { get; init; }
    /// <summary>Source address (IPv4 or IPv6, same family as <see cref="Destination"/>).</summary>
    public required IPAddress Source { get; init; }
    /// <summary>Destination address.</summary>
    public required IPAddress Destination { get; init; }
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
    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The network union member, from the address family.</summary>
    public NcapNetwork Network => Source.AddressFamily == AddressFamily.InterNetworkV6 ? NcapNetwork.IPv6 : NcapNetwork.IPv4;

    /// <summary>The timestamp in nanoseconds since the Unix epoch.</summary>
    public long TimestampNanoseconds => Seconds * 1_000_000_000L + Nanoseconds;

    /// <summary>Calls <paramref name="action"/> with a view of this message (addresses are
    /// formatted into stack memory, the payload is not copied).</summary>
    public void WithRecord<TState>(TState state, NcapRecordAction<TState> action)
    {
        Span<byte> source = stackalloc byte[16];
        Span<byte> destination = stackalloc byte[16];
        if (!Source.TryWriteBytes(source, out int sourceLength) || !Destination.TryWriteBytes(destination, out int destinationLength))
            throw new InvalidOperationException("address does not fit 16 bytes");
        var record = new NcapRecord
        {
            Seconds = Seconds,
            Nanoseconds = Nanoseconds,
            User1 = User1,
            User2 = User2,
            Network = Network,
            Source = source[..sourceLength],
            Destination = destination[..destinationLength],
            Transport = Transport,
            SourcePort = SourcePort,
            DestinationPort = DestinationPort,
            TcpOffset = TcpOffset,
            TcpFlags = TcpFlags,
            IcmpType = IcmpType,
            IcmpCode = IcmpCode,
            Payload = Payload.Span,
        };
        action(state, record);
    }

    /// <inheritdoc/>
    public bool Equals(NcapMessage? other) =>
        other is not null
        && Seconds == other.Seconds && Nanoseconds == other.Nanoseconds
        && User1 == other.User1 && User2 == other.User2
        && Source.Equals(other.Source) && Destination.Equals(other.Destination)
        && Transport == other.Transport
        && SourcePort == other.SourcePort && DestinationPort == other.DestinationPort
        && TcpOffset == other.TcpOffset && TcpFlags == other.TcpFlags
        && IcmpType == other.IcmpType && IcmpCode == other.IcmpCode
        && Payload.Span.SequenceEqual(other.Payload.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NcapMessage);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Seconds, Nanoseconds, Source, Destination, Transport, SourcePort, DestinationPort, Payload.Length);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Seconds}.{Nanoseconds:D9} {Source} > {Destination} {Transport} {SourcePort}>{DestinationPort} type {IcmpType} code {IcmpCode} payload {Payload.Length}";
}

/// <summary>Receives a temporary <see cref="NcapRecord"/> view.</summary>
public delegate void NcapRecordAction<in TState>(TState state, NcapRecord record);
