namespace Wirecap.Formats;

/// <summary>
/// An interface packets were captured on: the pcapng Interface Description Block, or the single
/// implicit interface of a classic pcap file.
/// </summary>
public sealed class CaptureInterface
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

    /// <summary>opt_comment values of the block.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name ?? "(unnamed)"} {LinksTypeName()} snaplen {SnapLength}";

    private string LinksTypeName() => LinkTypes.GetName(LinkType) ?? ((int)LinkType).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
