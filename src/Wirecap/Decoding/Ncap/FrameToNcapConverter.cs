using Wirecap.Formats;
using Wirecap.Formats.Ncap;

namespace Wirecap.Decoding;

/// <summary>
/// Frames to NCAP messages — the one conversion every path uses (the engine's sources, NCAP files written
/// through <see cref="CaptureFiles"/>, the command line). It converts what <c>ncaptool -p</c> converts —
/// Ethernet, NULL, LOOP and Linux SLL frames, IPv4 and IPv6, UDP and ICMP, IP fragments reassembled — and,
/// by <see cref="NcapConversionOptions"/>, what ncap left out: TCP segments with stream offsets and a
/// checksum-failed flag, ICMPv6, SLL2 and RAW links, VLAN lists. A frame is parsed once. Every frame that
/// yields no message is counted under a <see cref="NcapDropReason"/>. The message is a view over the frame (or
/// over the reassembly buffer) until the next call. Not thread-safe: one converter per stream of frames.
/// </summary>
/// <remarks>
/// Where we deliberately differ from ncap 1.9: IPv6 extension headers are walked with their real length (ncap
/// byte-swaps the one-byte length); the VLAN list compares VLAN ids, not whole TCIs, and two tags are crossed;
/// an ICMP payload is the ICMP message after its checksum (ncap takes everything captured after the IP header,
/// link-layer padding included, plus two bytes past the end of the frame). A TCP message's offset is the byte
/// position of its first data byte in its direction of the stream (sequence number minus the SYN's, minus one;
/// tcpdump's relative sequence number minus one), as ncap's first/last-segment flags describe; ncap itself
/// never produced nor passed on TCP messages.
/// </remarks>
public sealed class FrameToNcapConverter : IDisposable
{
    private readonly NcapConversionOptions _options;
    private readonly FragmentReassembler _reassembler;
    private readonly TcpStreamTracker _tcp;
    private readonly long[] _drops = new long[Enum.GetValues<NcapDropReason>().Length];

    /// <summary>Creates a converter (the engine's defaults when <paramref name="options"/> is null).</summary>
    public FrameToNcapConverter(NcapConversionOptions? options = null)
    {
        _options = options ?? NcapConversionOptions.Default;
        _reassembler = new FragmentReassembler(_options.Reassembly);
        _tcp = new TcpStreamTracker(_options.Tcp);
    }

    /// <summary>Frames that produced no message, by reason.</summary>
    public long Dropped(NcapDropReason reason) => _drops[(int)reason];

    /// <summary>The reassembler's own counters (why fragmented datagrams were given up).</summary>
    public ReassemblyStatistics Reassembly => _reassembler.Statistics;

    /// <summary>Frames held as fragments of datagrams not yet complete.</summary>
    public int PendingDatagrams => _reassembler.PendingDatagrams;

    /// <summary>
    /// Converts one frame. False when it yields no message: either counted under a drop reason, or a fragment
    /// held until its datagram completes (then the completing fragment yields the message, with its timestamp,
    /// as ncap does).
    /// </summary>
    /// <param name="linkType">Link type of the frame.</param>
    /// <param name="frame">The captured bytes.</param>
    /// <param name="originalLength">The frame's length on the wire.</param>
    /// <param name="timestampNanoseconds">Capture time, nanoseconds since the Unix epoch.</param>
    /// <param name="message">The message, a view over <paramref name="frame"/> or the reassembly buffer.</param>
    public bool TryConvert(LinkType linkType, ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, out NcapRecord message) =>
        TryConvert(linkType, frame, originalLength, timestampNanoseconds, out message, out _);

    /// <summary>As the public overload, and gives the message's IP packet (the frame's network layer up to the IP
    /// length, or the reassembled datagram), for filters that match packets.</summary>
    internal bool TryConvert(LinkType linkType, ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds,
        out NcapRecord message, out ReadOnlySpan<byte> ipPacket)
    {
        message = default;
        ipPacket = default;
        _reassembler.Expire(timestampNanoseconds); // time passes on every packet, not only on fragments
        if (frame.Length < originalLength) return Drop(NcapDropReason.Truncated);
        if (!LinkLayer.TryParse(linkType, frame, out var link))
            return Drop(LinkLayer.IsSupported(linkType) ? NcapDropReason.Malformed : NcapDropReason.UnsupportedLinkType);
        if (!VlanAllowed(link)) return Drop(NcapDropReason.VlanRejected);
        if (link.EtherType != EtherTypes.IPv4 && link.EtherType != EtherTypes.IPv6) return Drop(NcapDropReason.NotIp);
        var packet = link.Payload;
        if (!IpPacket.TryParse(link.EtherType, packet, out var ip)) return Drop(NcapDropReason.Malformed);
        if (ip.IsFragment)
        {
            switch (_reassembler.Submit(packet, timestampNanoseconds, out packet))
            {
                case ReassemblyStatus.Complete:
                    if (!IpPacket.TryParse(link.EtherType, packet, out ip) || ip.IsFragment) return Drop(NcapDropReason.Malformed);
                    break;
                case ReassemblyStatus.Dropped:
                    return Drop(NcapDropReason.FragmentDropped);
                default:
                    return false; // held until the datagram completes (or is given up and counted then)
            }
        }
        // The IP length fields must be backed by captured bytes, as ncap requires.
        if (ip.Payload.Length < ip.PayloadLength) return Drop(NcapDropReason.Malformed);
        packet.Overlaps(ip.Payload, out int transportOffset);
        ipPacket = packet[..(transportOffset + ip.Payload.Length)];
        return Convert(ip, timestampNanoseconds, out message) is not { } reason || Drop(reason);
    }

    // Builds the message from the parsed IP packet: null, or why there is none.
    private NcapDropReason? Convert(IpPacket ip, long timestampNanoseconds, out NcapRecord message)
    {
        message = default;
        long seconds = Math.DivRem(timestampNanoseconds, 1_000_000_000L, out long nanoseconds);
        if (nanoseconds < 0) { seconds--; nanoseconds += 1_000_000_000L; }
        var common = new NcapRecord
        {
            Seconds = (uint)seconds,
            Nanoseconds = (uint)nanoseconds,
            Network = ip.Version == 4 ? NcapNetwork.IPv4 : NcapNetwork.IPv6,
            Source = ip.Source,
            Destination = ip.Destination,
        };
        switch (ip.Protocol)
        {
            case IpProtocols.Udp:
                if (!UdpHeader.TryParse(ip.Payload, out var udp) || udp.TotalLength < UdpHeader.Length || udp.TotalLength > ip.Payload.Length)
                    return NcapDropReason.Malformed;
                message = common with
                {
                    Transport = NcapTransport.Udp, SourcePort = udp.SourcePort, DestinationPort = udp.DestinationPort, Payload = udp.Payload,
                };
                return null;

            case IpProtocols.Icmp when ip.Version == 4:
            case IpProtocols.Icmpv6 when ip.Version == 6 && _options.IncludeIcmpv6:
                if (!IcmpHeader.TryParse(ip.Payload, out var icmp)) return NcapDropReason.Malformed;
                message = common with { Transport = NcapTransport.Icmp, IcmpType = icmp.Type, IcmpCode = icmp.Code, Payload = icmp.Body };
                return null;

            case IpProtocols.Tcp when _options.IncludeTcp:
                if (!TcpHeader.TryParse(ip.Payload, out var tcp) || tcp.HeaderLength > ip.Payload.Length)
                    return NcapDropReason.Malformed;
                var (offset, flags) = _tcp.Observe(ip.Source, ip.Destination, tcp.SourcePort, tcp.DestinationPort,
                    tcp.SequenceNumber, (byte)tcp.Flags, timestampNanoseconds);
                if (_options.VerifyTcpChecksums && !InternetChecksum.VerifyTransport(ip.Source, ip.Destination, IpProtocols.Tcp, ip.Payload))
                    flags |= NcapTcpFlags.ChecksumFailed;
                message = common with
                {
                    Transport = NcapTransport.Tcp, SourcePort = tcp.SourcePort, DestinationPort = tcp.DestinationPort,
                    TcpOffset = offset, TcpFlags = flags, Payload = tcp.Payload,
                };
                return null;

            default:
                return NcapDropReason.UnsupportedProtocol;
        }
    }

    private bool VlanAllowed(in LinkLayer link)
    {
        var vlans = _options.Vlans is { Count: > 0 } list ? list : null;
        if (vlans is null) return link.VlanTagCount == 0;
        if (link.VlanTagCount == 0) return vlans.Contains(0);
        return vlans.Contains(0) || vlans.Contains(link.OuterTagControl & 0x0FFF);
    }

    private bool Drop(NcapDropReason reason)
    {
        _drops[(int)reason]++;
        return false;
    }

    /// <summary>Returns the reassembler's pooled buffers.</summary>
    public void Dispose() => _reassembler.Dispose();
}
