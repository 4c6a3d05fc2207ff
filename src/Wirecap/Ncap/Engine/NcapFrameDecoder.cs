using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

/// <summary>
/// Frames to NCAP messages with everything ncap left out: IPv4 and IPv6 fragments reassembled
/// (bounded in time and memory), TCP segments with stream-relative offsets and a checksum-failed
/// flag, ICMPv6, RAW and SLL2 links; and every frame that yields no message counted by reason.
/// The message is a view over the frame (or over the reassembly buffer) until the next call.
/// Not thread-safe: one decoder per source.
/// </summary>
public sealed class NcapFrameDecoder : IDisposable
{
    private readonly NcapConversionOptions _frameOptions;
    private readonly NcapConversionOptions _datagramOptions;
    private readonly bool _verifyTcp;
    private readonly FragmentReassembler _reassembler;
    private readonly TcpStreamTracker _tcp;
    private readonly long[] _drops = new long[Enum.GetValues<NcapDropReason>().Length];

    /// <summary>Creates a decoder.</summary>
    public NcapFrameDecoder(NcapDecoderOptions? options = null)
    {
        options ??= new NcapDecoderOptions();
        var vlans = options.Vlans is { Count: > 0 } list ? list : null;
        _frameOptions = new NcapConversionOptions { Vlans = vlans, IncludeTcp = options.IncludeTcp, IncludeIcmpv6 = options.IncludeIcmpv6 };
        _datagramOptions = new NcapConversionOptions { IncludeTcp = options.IncludeTcp, IncludeIcmpv6 = options.IncludeIcmpv6 };
        _verifyTcp = options.VerifyTcpChecksums;
        _reassembler = new FragmentReassembler(options.Reassembly);
        _tcp = new TcpStreamTracker(options.Tcp);
    }

    /// <summary>Frames that produced no message, by reason.</summary>
    public long Dropped(NcapDropReason reason) => _drops[(int)reason];

    /// <summary>The reassembler's own counters (why fragmented datagrams were given up).</summary>
    public ReassemblyStatistics Reassembly => _reassembler.Statistics;

    /// <summary>Frames held as fragments of datagrams not yet complete.</summary>
    public int PendingDatagrams => _reassembler.PendingDatagrams;

    internal void CountDrop(NcapDropReason reason) => _drops[(int)reason]++;

    /// <summary>
    /// Decodes one frame. False when it yields no message: either counted under a drop reason, or a
    /// fragment held until its datagram completes (then the completing fragment yields the message,
    /// with its timestamp, as ncap does).
    /// </summary>
    public bool TryDecode(LinkType linkType, ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, out NcapRecord record)
    {
        record = default;
        _reassembler.Expire(timestampNanoseconds); // time passes on every packet, not only on fragments
        if (frame.Length < originalLength) return Drop(NcapDropReason.Truncated);
        if (!LinkLayer.TryParse(linkType, frame, out var link))
            return Drop(NcapConverter.IsSupported(linkType) ? NcapDropReason.Malformed : NcapDropReason.UnsupportedLinkType);
        if (!NcapConverter.VlanAllowed(link, _frameOptions)) return Drop(NcapDropReason.VlanRejected);
        if (link.EtherType != EtherTypes.IPv4 && link.EtherType != EtherTypes.IPv6) return Drop(NcapDropReason.NotIp);
        if (!IpPacket.TryParse(link.EtherType, link.Payload, out var ip)) return Drop(NcapDropReason.Malformed);

        if (!ip.IsFragment) return Convert(linkType, frame, timestampNanoseconds, _frameOptions, out record);

        var status = _reassembler.Submit(link.Payload, timestampNanoseconds, out var datagram);
        switch (status)
        {
            case ReassemblyStatus.Complete:
                return Convert(LinkType.Raw, datagram, timestampNanoseconds, _datagramOptions, out record);
            case ReassemblyStatus.Dropped:
                return Drop(NcapDropReason.FragmentDropped);
            default:
                return false; // held until the datagram completes (or is given up and counted then)
        }
    }

    private bool Convert(LinkType linkType, ReadOnlySpan<byte> bytes, long timestamp, NcapConversionOptions options, out NcapRecord record)
    {
        var result = NcapConverter.TryConvert(linkType, bytes, bytes.Length, timestamp, options, out record);
        if (result != NcapConversionResult.Converted)
            return Drop(result switch
            {
                NcapConversionResult.UnsupportedLinkType => NcapDropReason.UnsupportedLinkType,
                NcapConversionResult.Truncated => NcapDropReason.Truncated,
                NcapConversionResult.VlanRejected => NcapDropReason.VlanRejected,
                NcapConversionResult.NotIp => NcapDropReason.NotIp,
                NcapConversionResult.UnsupportedProtocol => NcapDropReason.UnsupportedProtocol,
                _ => NcapDropReason.Malformed,
            });
        if (record.Transport == NcapTransport.Tcp) record = WithStreamPosition(record, linkType, bytes, timestamp);
        return true;
    }

    private NcapRecord WithStreamPosition(NcapRecord record, LinkType linkType, ReadOnlySpan<byte> bytes, long timestamp)
    {
        byte headerFlags = (byte)(((record.TcpFlags & NcapTcpFlags.FirstSegment) != 0 ? 0x02 : 0)
            | ((record.TcpFlags & NcapTcpFlags.LastSegment) != 0 ? 0x01 : 0)
            | ((record.TcpFlags & NcapTcpFlags.Reset) != 0 ? 0x04 : 0));
        var (offset, _) = _tcp.Observe(record.Source, record.Destination, record.SourcePort, record.DestinationPort,
            record.TcpOffset, headerFlags, timestamp);
        var flags = record.TcpFlags;
        if (_verifyTcp && !ChecksumVerifies(linkType, bytes)) flags |= NcapTcpFlags.ChecksumFailed;
        return record with { TcpOffset = offset, TcpFlags = flags };
    }

    private static bool ChecksumVerifies(LinkType linkType, ReadOnlySpan<byte> bytes)
    {
        if (!LinkLayer.TryParse(linkType, bytes, out var link) || !IpPacket.TryParse(link.EtherType, link.Payload, out var ip)) return false;
        var segment = ip.Payload[..Math.Min(ip.PayloadLength, ip.Payload.Length)];
        return InternetChecksum.VerifyTransport(ip.Source, ip.Destination, 6, segment);
    }

    private bool Drop(NcapDropReason reason)
    {
        _drops[(int)reason]++;
        return false;
    }

    /// <summary>Returns the reassembler's pooled buffers.</summary>
    public void Dispose() => _reassembler.Dispose();
}
