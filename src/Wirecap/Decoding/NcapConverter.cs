using Wirecap.Formats;
using Wirecap.Formats.Ncap;

namespace Wirecap.Decoding;

/// <summary>Turns captured frames into NCAP messages, as <c>ncaptool -p FILE</c> does: Ethernet,
/// NULL, LOOP and Linux SLL frames (we also take SLL2, RAW, IPV4 and IPV6), IPv4 (options skipped)
/// and IPv6 (extension headers of any length), UDP and ICMP. The message is a view over the frame:
/// nothing is copied.</summary>
/// <remarks>
/// Where we deliberately differ from ncap 1.9: IPv6 extension headers are walked with their real
/// length (ncap byte-swaps the one-byte length); the VLAN list compares VLAN ids, not whole TCIs,
/// and two tags are crossed; an ICMP payload is the ICMP message after its checksum (ncap takes
/// everything captured after the IP header, link-layer padding included, plus two bytes past the
/// end of the frame); TCP and ICMPv6 can be converted on request. This converter is stateless and
/// reports IP fragments; <see cref="Wirecap.Formats.Ncap.NcapCaptureWriter"/> reassembles them first, as ncap does.
/// </remarks>
public static class NcapConverter
{
    /// <summary>Converts one frame.</summary>
    /// <param name="linkType">Link type of the frame.</param>
    /// <param name="frame">The captured bytes.</param>
    /// <param name="originalLength">The frame's length on the wire.</param>
    /// <param name="timestampNanoseconds">Capture time, nanoseconds since the Unix epoch.</param>
    /// <param name="options">Conversion options (null for ncaptool's behaviour).</param>
    /// <param name="record">The message, a view over <paramref name="frame"/>.</param>
    public static NcapConversionResult TryConvert(LinkType linkType, ReadOnlySpan<byte> frame, long originalLength,
        long timestampNanoseconds, NcapConversionOptions? options, out NcapRecord record)
    {
        record = default;
        options ??= NcapConversionOptions.Default;
        if (frame.Length != originalLength) return NcapConversionResult.Truncated;
        if (!LinkLayer.TryParse(linkType, frame, out var link))
            return IsSupported(linkType) ? NcapConversionResult.Malformed : NcapConversionResult.UnsupportedLinkType;
        if (!VlanAllowed(link, options)) return NcapConversionResult.VlanRejected;
        if (link.EtherType != EtherTypes.IPv4 && link.EtherType != EtherTypes.IPv6) return NcapConversionResult.NotIp;
        if (!IpPacket.TryParse(link.EtherType, link.Payload, out var ip)) return NcapConversionResult.Malformed;
        if (ip.IsFragment) return NcapConversionResult.Fragment;
        // The IP length fields must be backed by captured bytes, as ncap requires.
        if (ip.Payload.Length < ip.PayloadLength) return NcapConversionResult.Malformed;

        long seconds = Math.DivRem(timestampNanoseconds, 1_000_000_000L, out long nanoseconds);
        if (nanoseconds < 0) { seconds--; nanoseconds += 1_000_000_000L; }
        var network = ip.Version == 4 ? NcapNetwork.IPv4 : NcapNetwork.IPv6;
        var common = new NcapRecord
        {
            Seconds = (uint)seconds,
            Nanoseconds = (uint)nanoseconds,
            Network = network,
            Source = ip.Source,
            Destination = ip.Destination,
        };

        switch (ip.Protocol)
        {
            case IpProtocols.Udp:
                if (!UdpHeader.TryParse(ip.Payload, out var udp)) return NcapConversionResult.Malformed;
                if (udp.TotalLength < UdpHeader.Length || udp.TotalLength > ip.Payload.Length) return NcapConversionResult.Malformed;
                record = common with
                {
                    Transport = NcapTransport.Udp, SourcePort = udp.SourcePort, DestinationPort = udp.DestinationPort,
                    Payload = udp.Payload,
                };
                return NcapConversionResult.Converted;

            case IpProtocols.Icmp when ip.Version == 4:
            case IpProtocols.Icmpv6 when ip.Version == 6 && options.IncludeIcmpv6:
                if (!IcmpHeader.TryParse(ip.Payload, out var icmp)) return NcapConversionResult.Malformed;
                record = common with { Transport = NcapTransport.Icmp, IcmpType = icmp.Type, IcmpCode = icmp.Code, Payload = icmp.Body };
                return NcapConversionResult.Converted;

            case IpProtocols.Tcp when options.IncludeTcp:
                if (!TcpHeader.TryParse(ip.Payload, out var tcp) || tcp.HeaderLength > ip.Payload.Length)
                    return NcapConversionResult.Malformed;
                var flags = tcp.Flags;
                record = common with
                {
                    Transport = NcapTransport.Tcp, SourcePort = tcp.SourcePort, DestinationPort = tcp.DestinationPort,
                    TcpOffset = tcp.SequenceNumber,
                    TcpFlags = ((flags & TcpFlags.Syn) != 0 ? NcapTcpFlags.FirstSegment : 0)
                             | ((flags & TcpFlags.Fin) != 0 ? NcapTcpFlags.LastSegment : 0)
                             | ((flags & TcpFlags.Rst) != 0 ? NcapTcpFlags.Reset : 0),
                    Payload = tcp.Payload,
                };
                return NcapConversionResult.Converted;

            default:
                return NcapConversionResult.UnsupportedProtocol;
        }
    }

    /// <summary>True for the link types <see cref="TryConvert"/> decodes.</summary>
    public static bool IsSupported(LinkType linkType) => linkType is LinkType.Ethernet or LinkType.Null or LinkType.Loop
        or LinkType.LinuxSll or LinkType.LinuxSll2 or LinkType.Raw or LinkType.Ipv4 or LinkType.Ipv6;

    internal static bool VlanAllowed(in LinkLayer link, NcapConversionOptions options)
    {
        var vlans = options.Vlans;
        if (vlans is null) return link.VlanTagCount == 0;
        if (link.VlanTagCount == 0) return vlans.Contains(0);
        return vlans.Contains(0) || vlans.Contains(link.OuterTagControl & 0x0FFF);
    }
}
