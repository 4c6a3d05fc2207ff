using Wirecap.Bpf;
using Wirecap.Decoding;

namespace Wirecap.Ncap;

/// <summary>Settings of an <see cref="NcapEngine"/>.</summary>
public sealed class NcapEngineOptions
{
    /// <summary>The largest encoded message handled (ncap's <c>maxmsg</c>; 70,000 fits a 64 KiB payload). Larger ones are counted as <see cref="NcapDropReason.TooLarge"/>.</summary>
    public int MaxMessageLength { get; init; } = 70_000;

    /// <summary>
    /// Bytes buffered between the sources (which read in the background) and <see cref="NcapEngine.Collect"/>, which
    /// converts and filters what they read: frames as captured and NCAP messages as read, in batches of up to 32 KiB
    /// (at least two batches; an interface hands over each frame alone). When it is full, sources
    /// wait: a file source pauses, an interface source stops draining its ring and the kernel counts the drops.
    /// </summary>
    public int QueueBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How frames become messages (VLAN list default, TCP, ICMPv6, reassembly limits).</summary>
    public NcapConversionOptions Conversion { get; init; } = NcapConversionOptions.Default;

    /// <summary>The engine's name in its metrics (tag <c>wirecap.engine</c>); by default "ncap-1", "ncap-2"... in the order
    /// engines are created.</summary>
    public string? Name { get; init; }

    /// <summary>How pcap-filter expressions run in user space (compiled to IL by default).</summary>
    public BpfFilterOptions? FilterEngine { get; init; }
}
