using Capture.Bpf;

namespace Capture.Ncap;

/// <summary>Settings of an <see cref="NcapEngine"/>.</summary>
public sealed class NcapEngineOptions
{
    /// <summary>The largest encoded message handled (ncap's <c>maxmsg</c>; 70,000 fits a 64 KiB payload). Larger ones are counted as <see cref="NcapDropReason.TooLarge"/>.</summary>
    public int MaxMessageLength { get; init; } = 70_000;

    /// <summary>
    /// Messages buffered between the sources (which read in the background) and <see cref="NcapEngine.Collect"/>.
    /// When it is full, sources wait: a file source pauses, an interface source stops draining its ring and the
    /// kernel counts the drops.
    /// </summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>How frames become messages (VLAN list default, TCP, ICMPv6, reassembly limits).</summary>
    public NcapDecoderOptions Decoder { get; init; } = new();

    /// <summary>How pcap-filter expressions run in user space (compiled to IL by default).</summary>
    public BpfFilterOptions? FilterEngine { get; init; }
}
