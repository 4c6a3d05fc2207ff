using System.Buffers.Binary;
using Wirecap.Formats.Ncap;

namespace Wirecap.Decoding;

/// <summary>NCAP messages to frames: raw IP packets (LINKTYPE_RAW) that can be printed, filtered or
/// written to pcap or pcapng: an IPv4 or IPv6 header, a UDP, TCP, ICMP or ICMPv6 header with a correct
/// checksum, then the payload.</summary>
/// <remarks>Fields NCAP does not carry are made up: TTL/hop limit 64, IPv4 id 0 with DF, TCP
/// acknowledgment 0 and window 65535; a TCP message's offset becomes the sequence number and its
/// first/last/reset flags become SYN/FIN/RST (ACK is set on everything but a bare SYN, PSH when
/// there is data). ICMP over IPv6 becomes ICMPv6.</remarks>
internal static class NcapToFrameConverter
{
    private const byte DefaultHopLimit = 64;

    /// <summary>Length of the packet <see cref="Write"/> produces.</summary>
    /// <exception cref="ArgumentException">The payload does not fit an IP packet.</exception>
    public static int GetLength(in NcapRecord record)
    {
        long upper = TransportHeaderLength(record.Transport) + (long)record.Payload.Length;
        if (record.Network == NcapNetwork.IPv4)
        {
            if (upper + Ipv4Header.MinLength > ushort.MaxValue)
                throw new ArgumentException($"a {record.Payload.Length}-byte payload does not fit an IPv4 packet", nameof(record));
            return (int)upper + Ipv4Header.MinLength;
        }
        if (upper > ushort.MaxValue)
            throw new ArgumentException($"a {record.Payload.Length}-byte payload does not fit an IPv6 packet", nameof(record));
        return (int)upper + Ipv6Header.Length;
    }

    /// <summary>Writes the packet and returns its length.</summary>
    /// <exception cref="ArgumentException">The record is inconsistent, its payload does not fit an
    /// IP packet, or <paramref name="destination"/> is too small.</exception>
    public static int Write(in NcapRecord record, Span<byte> destination)
    {
        record.Validate();
        int length = GetLength(record);
        if (destination.Length < length)
            throw new ArgumentException($"destination holds {destination.Length} bytes, the packet needs {length}", nameof(destination));
        var packet = destination[..length];
        bool v4 = record.Network == NcapNetwork.IPv4;
        byte protocol = record.Transport switch
        {
            NcapTransport.Udp => IpProtocols.Udp,
            NcapTransport.Tcp => IpProtocols.Tcp,
            _ => v4 ? IpProtocols.Icmp : IpProtocols.Icmpv6,
        };
        int ipLength = v4 ? Ipv4Header.MinLength : Ipv6Header.Length;
        var upper = packet[ipLength..];
        if (v4) WriteIpv4(record, protocol, packet);
        else WriteIpv6(record, protocol, packet);

        int headerLength = TransportHeaderLength(record.Transport);
        upper[..headerLength].Clear();
        record.Payload.CopyTo(upper[headerLength..]);
        switch (record.Transport)
        {
            case NcapTransport.Udp:
                BinaryPrimitives.WriteUInt16BigEndian(upper, record.SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(upper[2..], record.DestinationPort);
                BinaryPrimitives.WriteUInt16BigEndian(upper[4..], (ushort)upper.Length);
                break;
            case NcapTransport.Tcp:
                BinaryPrimitives.WriteUInt16BigEndian(upper, record.SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(upper[2..], record.DestinationPort);
                BinaryPrimitives.WriteUInt32BigEndian(upper[4..], record.TcpOffset);
                upper[12] = (TcpHeader.MinLength / 4) << 4;
                upper[13] = (byte)TcpFlagsOf(record.TcpFlags, record.Payload.Length > 0);
                BinaryPrimitives.WriteUInt16BigEndian(upper[14..], ushort.MaxValue);
                break;
            default:
                upper[0] = record.IcmpType;
                upper[1] = record.IcmpCode;
                break;
        }
        int checksumAt = record.Transport switch { NcapTransport.Udp => 6, NcapTransport.Tcp => 16, _ => 2 };
        ushort checksum = InternetChecksum.ComputeTransport(record.Source, record.Destination, protocol, upper);
        // In UDP a computed zero is sent as all ones (zero means "no checksum").
        if (checksum == 0 && protocol == IpProtocols.Udp) checksum = 0xFFFF;
        BinaryPrimitives.WriteUInt16BigEndian(upper[checksumAt..], checksum);
        return length;
    }

    private static void WriteIpv4(in NcapRecord record, byte protocol, Span<byte> packet)
    {
        var header = packet[..Ipv4Header.MinLength];
        header.Clear();
        header[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)packet.Length);
        header[6] = 0x40; // don't fragment
        header[8] = DefaultHopLimit;
        header[9] = protocol;
        record.Source.CopyTo(header[12..]);
        record.Destination.CopyTo(header[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], InternetChecksum.Compute(header));
    }

    private static void WriteIpv6(in NcapRecord record, byte protocol, Span<byte> packet)
    {
        var header = packet[..Ipv6Header.Length];
        header.Clear();
        header[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)(packet.Length - Ipv6Header.Length));
        header[6] = protocol;
        header[7] = DefaultHopLimit;
        record.Source.CopyTo(header[8..]);
        record.Destination.CopyTo(header[24..]);
    }

    private static TcpFlags TcpFlagsOf(NcapTcpFlags flags, bool hasData)
    {
        var result = TcpFlags.None;
        if ((flags & NcapTcpFlags.FirstSegment) != 0) result |= TcpFlags.Syn;
        if ((flags & NcapTcpFlags.LastSegment) != 0) result |= TcpFlags.Fin;
        if ((flags & NcapTcpFlags.Reset) != 0) result |= TcpFlags.Rst;
        if (result != TcpFlags.Syn) result |= TcpFlags.Ack;
        if (hasData) result |= TcpFlags.Psh;
        return result;
    }

    private static int TransportHeaderLength(NcapTransport transport) => transport switch
    {
        NcapTransport.Udp => UdpHeader.Length,
        NcapTransport.Tcp => TcpHeader.MinLength,
        _ => IcmpHeader.Length,
    };
}
