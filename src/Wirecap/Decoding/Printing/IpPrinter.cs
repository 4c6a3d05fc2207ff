using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>
/// IPv4 and IPv6 as tcpdump 4.99 prints them without -v: the header checks and their messages (bad-hlen, bad-len,
/// truncated-ip, version error), IPv6 extension headers (HBH, DSTOPT, frag, RT6) as it walks them, then the upper
/// layer: TCP, UDP, ICMP, ICMPv6, IGMP, ESP and AH, IP in IP, or <c>ip-proto-N</c>. The length each layer prints is
/// the one the headers announce; what was not captured ends the line with tcpdump's <c>[|proto]</c> mark.
/// </summary>
internal static class IpPrinter
{
    private const int V4HeaderLength = 20, V6HeaderLength = 40;
    private const byte Igmp = 2, IPv4InIp = 4, IPv6InIp = 41, MobilityOld = 62, EthernetInIp = 143, Dccp = 33, Sctp = 132;

    /// <summary>Prints the packet at <paramref name="packet"/> (as captured), <paramref name="length"/> bytes long on the wire.
    /// keyword: start with "IP "/"IP6 "; tcpdump leaves it out under -e, whose header names the type.</summary>
    public static void Print(StringBuilder line, ushort etherType, ReadOnlySpan<byte> packet, long length, TcpSequenceTracker tcp, PacketPrinterOptions options, bool keyword = true)
    {
        if (etherType == EtherTypes.IPv4) PrintV4(line, packet, length, tcp, options, keyword);
        else PrintV6(line, packet, length, tcp, options, keyword);
    }

    private static void PrintV4(StringBuilder line, ReadOnlySpan<byte> packet, long length, TcpSequenceTracker tcp, PacketPrinterOptions options, bool keyword)
    {
        if (packet.IsEmpty)
        {
            line.Append(" [|ip]");
            return;
        }
        int version = packet[0] >> 4;
        if (version != 4)
        {
            if (version == 6) line.Append("IP6, wrong link-layer encapsulation (invalid)");
            else line.Append("IP").Append(version).Append(" (invalid)");
            return;
        }
        if (keyword) line.Append("IP ");
        if (packet.Length < V4HeaderLength)
        {
            line.Append(" [|ip]");
            return;
        }
        if (length < V4HeaderLength)
        {
            line.Append("truncated-ip ").Append(length);
            return;
        }
        int headerLength = (packet[0] & 0xf) * 4;
        if (headerLength < V4HeaderLength)
        {
            line.Append("bad-hlen ").Append(headerLength);
            return;
        }
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (length < totalLength) line.Append("truncated-ip - ").Append(totalLength - length).Append(" bytes missing! ");
        if (totalLength < headerLength)
        {
            line.Append("bad-len ").Append(totalLength);
            return;
        }
        packet = packet[..Math.Min(packet.Length, totalLength)];
        if (options.Verbosity > 0 && !Ipv4VerbosePrinter.Print(line, packet, headerLength, options)) return;
        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        byte protocol = packet[9];
        var ip = new IpPacket
        {
            Version = 4, Source = packet.Slice(12, 4), Destination = packet.Slice(16, 4), Protocol = protocol,
            Payload = packet.Length >= headerLength ? packet[headerLength..] : default, PayloadLength = totalLength - headerLength,
            IsFragment = (fragment & 0x2000) != 0, IsLaterFragment = (fragment & 0x1fff) != 0, HopLimit = packet[8],
        };
        if (ip.IsLaterFragment)
        {
            AppendAddresses(line, ip).Append(": ip-proto-").Append(protocol);
            return;
        }
        if (!PrintsOwnAddresses(protocol)) AppendAddresses(line, ip).Append(": ");
        if (packet.Length < headerLength)
        {
            line.Append(" [remaining caplen(").Append(packet.Length).Append(") < header length(").Append(headerLength).Append(")] [|ip]");
            return;
        }
        Demux(line, ip, protocol, directTransport: true, tcp, options, ip.PayloadLength);
    }

    private static void PrintV6(StringBuilder line, ReadOnlySpan<byte> packet, long length, TcpSequenceTracker tcp, PacketPrinterOptions options, bool keyword)
    {
        if (packet.Length < V6HeaderLength)
        {
            line.Append(" [|ip6]");
            return;
        }
        if (length < V6HeaderLength)
        {
            line.Append("truncated-ip6 ").Append(length);
            return;
        }
        if (keyword) line.Append("IP6 ");
        int version = packet[0] >> 4;
        if (version != 6)
        {
            line.Append("version error: ").Append(version).Append(" != 6");
            return;
        }
        uint payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        long remaining;
        if (payloadLength != 0)
        {
            remaining = payloadLength + V6HeaderLength;
            if (length < remaining) line.Append("truncated-ip6 - ").Append(remaining - length).Append(" bytes missing!");
        }
        else remaining = length + V6HeaderLength; // tcpdump's guess until a Jumbo Payload option says otherwise
        if (options.Verbosity > 0) AppendV6Header(line, packet, payloadLength);
        var snap = packet[..(int)Math.Min(packet.Length, remaining)];
        var ip = new IpPacket { Version = 6, Source = packet.Slice(8, 16), Destination = packet.Slice(24, 16), HopLimit = packet[7] };
        byte next = packet[6];
        int at = 0, advance = V6HeaderLength, walked = 0, previous = -1;
        bool extension = false, hopByHop = false, jumbo = false, fragmented = false;
        var finalDestination = ip.Destination; // where a routing header sends the packet: the checksums' pseudo-header holds it
        while (at < snap.Length && advance > 0)
        {
            if (remaining < advance)
            {
                line.Append(" [|ip6]");
                return;
            }
            at += advance;
            remaining -= advance;
            walked += advance;
            if (at == V6HeaderLength && !PrintsOwnAddresses(next)) AppendAddresses(line, ip).Append(": ");
            switch (next)
            {
                case IpProtocols.HopByHop:
                    if (hopByHop)
                    {
                        line.Append("[The Hop-by-Hop Options header was already found] (invalid)");
                        return;
                    }
                    if (previous != -1)
                    {
                        line.Append("[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)");
                        return;
                    }
                    advance = Ipv6OptionsPrinter.HopByHop(line, snap, at, ref jumbo, ref payloadLength, options.Verbosity > 0);
                    if (payloadLength == 0 && !jumbo)
                    {
                        line.Append("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
                        return;
                    }
                    if (advance < 0) return;
                    extension = hopByHop = true;
                    break;
                case IpProtocols.DestinationOptions:
                    advance = Ipv6OptionsPrinter.DestinationOptions(line, snap, at, options.Verbosity > 0);
                    if (advance < 0) return;
                    extension = true;
                    break;
                case IpProtocols.Fragment:
                    advance = Ipv6OptionsPrinter.Fragment(line, snap, at, BinaryPrimitives.ReadUInt16BigEndian(packet[4..]), options.Verbosity > 0);
                    if (advance < 0 || snap.Length <= at + advance) return;
                    extension = fragmented = true;
                    break;
                case IpProtocols.Routing:
                    if (at >= snap.Length)
                    {
                        line.Append(" [|ip6]");
                        return;
                    }
                    advance = Ipv6OptionsPrinter.Routing(line, snap, at, options.Verbosity > 0);
                    if (advance < 0) return;
                    if (Ipv6OptionsPrinter.FinalDestination(snap[at..]) is { IsEmpty: false } final) finalDestination = final;
                    extension = true;
                    break;
                case IpProtocols.Mobility or MobilityOld:
                    line.Append("mobility"); // not decoded: Mobile IPv6 is not among the protocols we print
                    return;
                default:
                    if (jumbo)
                    {
                        remaining = payloadLength + V6HeaderLength;
                        if (remaining < walked)
                        {
                            line.Append(" [|ip6]");
                            return;
                        }
                        if (length < remaining) line.Append("truncated-ip6 - ").Append(remaining - length).Append(" bytes missing!");
                        snap = packet[..(int)Math.Min(packet.Length, remaining)];
                        remaining -= walked;
                    }
                    else if (payloadLength == 0)
                    {
                        if (extension)
                        {
                            line.Append(" [|ip6]");
                            return;
                        }
                        snap = snap[..V6HeaderLength];
                        remaining = 0;
                    }
                    var upper = ip with
                    {
                        Protocol = next, Payload = at <= snap.Length ? snap[at..] : default, Destination = finalDestination,
                        PayloadLength = (int)Math.Min(remaining, int.MaxValue), IsFragment = fragmented,
                    };
                    Demux(line, upper, next, directTransport: at == V6HeaderLength, tcp, options, remaining);
                    return;
            }
            next = snap[at];
            previous = next;
        }
    }

    /// <summary>tcpdump's <c>ip_demux_print</c>: the upper layer of a packet whose addresses are printed (except for
    /// TCP and UDP, which print them with their ports). <paramref name="length"/> is the upper layer's length, which a
    /// jumbogram may carry past the range of <see cref="IpPacket.PayloadLength"/>.</summary>
    private static void Demux(StringBuilder line, IpPacket ip, byte protocol, bool directTransport, TcpSequenceTracker tcp, PacketPrinterOptions options, long length)
    {
        while (true)
        {
            switch (protocol)
            {
                case IpProtocols.AuthenticationHeader:
                    if (ip.Payload.IsEmpty)
                    {
                        line.Append(" [|ah]");
                        return;
                    }
                    int advance = IpsecPrinter.PrintAh(line, ip.Payload);
                    if (advance <= 0) return;
                    protocol = ip.Payload[0];
                    ip = ip with { Payload = advance <= ip.Payload.Length ? ip.Payload[advance..] : default, PayloadLength = ip.PayloadLength - advance };
                    length -= advance;
                    directTransport = false;
                    continue;
                case IpProtocols.Esp:
                    IpsecPrinter.PrintEsp(line, ip.Payload, ip.PayloadLength);
                    return;
                case IpProtocols.Tcp:
                    TcpPrinter.Print(line, ip, directTransport, tcp, options);
                    return;
                case IpProtocols.Udp:
                    UdpPrinter.Print(line, ip, directTransport, options);
                    return;
                case IpProtocols.Icmp when ip.Version == 4:
                    IcmpPrinter.PrintV4(line, ip, tcp, options);
                    return;
                case IpProtocols.Icmpv6 when ip.Version == 6:
                    IcmpPrinter.PrintV6(line, ip, options);
                    return;
                case IpProtocols.Icmp or IpProtocols.Icmpv6:
                    line.Append(protocol == IpProtocols.Icmp ? "[ICMP requires IPv4] (invalid)" : "[ICMP6 requires IPv6] (invalid)");
                    return;
                case Igmp when ip.Version == 4:
                    IgmpPrinter.Print(line, ip.Payload, ip.PayloadLength);
                    return;
                case Igmp:
                    line.Append("[IGMP requires IPv4] (invalid)");
                    return;
                case IPv4InIp:
                    PrintV4(line, ip.Payload, ip.PayloadLength, tcp, options, keyword: true);
                    return;
                case IPv6InIp:
                    PrintV6(line, ip.Payload, ip.PayloadLength, tcp, options, keyword: true);
                    return;
                case EthernetInIp when ip.Version == 6 && EthernetHeader.TryParse(ip.Payload, out var ethernet)
                    && ethernet.EtherType is EtherTypes.IPv4 or EtherTypes.IPv6:
                    Print(line, ethernet.EtherType, ip.Payload[ethernet.Length..], ip.PayloadLength - ethernet.Length, tcp, options);
                    return;
                case IpProtocols.NoNextHeader:
                    line.Append("no next header");
                    return;
                default:
                    line.Append(" ip-proto-").Append(protocol).Append(' ').Append(length);
                    return;
            }
        }
    }

    /// <summary>What -v adds after "IP6 ": <c>(class 0x10, flowlabel 0x12345, hlim 64, next-header UDP (17) payload length: 48) </c>.</summary>
    private static void AppendV6Header(StringBuilder line, ReadOnlySpan<byte> packet, uint payloadLength)
    {
        uint flow = BinaryPrimitives.ReadUInt32BigEndian(packet);
        line.Append('(');
        if ((flow & 0x0ff00000) != 0) line.Append("class 0x").AppendHexByte((byte)(flow >> 20)).Append(", ");
        if ((flow & 0x000fffff) != 0)
        {
            line.Append("flowlabel 0x").AppendHexDigits(flow & 0xfffff, 5).Append(", ");
        }
        line.Append("hlim ").Append(packet[7]).Append(", next-header ").Append(IpProtocolNames.Name(packet[6])).Append(" (").Append(packet[6])
            .Append(") payload length: ").Append(payloadLength).Append(") ");
    }

    /// <summary>TCP, UDP, SCTP and DCCP print the addresses themselves, with their ports.</summary>
    private static bool PrintsOwnAddresses(byte protocol) => protocol is IpProtocols.Tcp or IpProtocols.Udp or Dccp or Sctp;

    public static StringBuilder AppendAddresses(StringBuilder line, in IpPacket ip) =>
        line.AppendIp(ip.Source).Append(" > ").AppendIp(ip.Destination);

    /// <summary>Addresses with ports, or the ports alone when extension headers stand between the IP header and the
    /// transport (tcpdump prints the addresses before the first extension header then).</summary>
    public static StringBuilder AppendEndpoints(StringBuilder line, in IpPacket ip, ushort sourcePort, ushort destinationPort, bool withAddresses = true) =>
        withAddresses
            ? line.AppendIp(ip.Source).Append('.').Append(sourcePort).Append(" > ").AppendIp(ip.Destination).Append('.').Append(destinationPort)
            : line.Append(sourcePort).Append(" > ").Append(destinationPort);
}
