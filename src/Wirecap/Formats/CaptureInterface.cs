namespace Wirecap.Formats;

/// <summary>
/// An interface packets were captured on: the pcapng Interface Description Block, or the single
/// implicit interface of a classic pcap file.
/// </summary>
public sealed class CaptureInterface : CaptureBlock
{
    /// <summary>The link-layer header type of this interface's packets.</summary>
    public LinkType LinkType { get; init; } = LinkType.Ethernet;

    /// <summary>The largest number of bytes kept per packet; 0 means the link type's maximum (<see cref="LinkTypes.MaximumSnapLength"/>), as libpcap reads it.</summary>
    public int SnapLength { get; init; } = 262144;

    /// <summary>if_name, e.g. "eth0"; null when absent.</summary>
    public string? Name { get; init; }

    /// <summary>if_description; null when absent.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// The raw if_tsresol value: with the top bit clear, units are 10^-n seconds; with it set,
    /// 2^-(n &amp; 0x7f) seconds. New interfaces default to 9 (nanoseconds); a pcapng interface
    /// without the option has 6 (microseconds), as the format specifies.
    /// </summary>
    public byte TimestampResolution { get; init; } = 9;

    /// <summary>if_tsoffset: seconds added to every timestamp of this interface.</summary>
    public long TimestampOffset { get; init; }

    /// <summary>if_fcslen: length of the frame check sequence at the end of each frame, in bytes; null when not recorded.</summary>
    public int? FcsLength { get; init; }

    /// <summary>if_speed: the interface's speed in bits per second; null when not recorded.</summary>
    public ulong? Speed { get; init; }

    /// <summary>if_filter of the libpcap kind: the filter expression the capture ran; null when absent (a filter of
    /// another kind is kept in <see cref="OtherOptions"/>).</summary>
    public string? Filter { get; init; }

    /// <summary>if_os: the operating system of the capturing machine; null when absent.</summary>
    public string? OperatingSystem { get; init; }

    /// <summary>if_hardware: the interface's hardware; null when absent.</summary>
    public string? Hardware { get; init; }

    /// <summary>opt_comment values of the block.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>The block's other options (if_tzone, if_IPv4addr, if_MACaddr, custom options...), see <see cref="CaptureOption"/>.</summary>
    public IReadOnlyList<CaptureOption> OtherOptions { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name ?? "(unnamed)"} {LinksTypeName()} snaplen {SnapLength}";

    private string LinksTypeName() => LinkTypes.GetName(LinkType) ?? ((int)LinkType).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
