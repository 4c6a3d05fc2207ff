namespace Wirecap.Formats;

/// <summary>A pcapng Name Resolution Block: address-to-name records and the block's options.</summary>
public sealed class NameResolutionBlock : CaptureBlock
{
    /// <summary>The IPv4 and IPv6 records.</summary>
    public IReadOnlyList<NameResolutionEntry> Entries { get; init; } = [];

    /// <summary>Records of other types (EUI-48, EUI-64 and any the format adds later): type and value, as read.</summary>
    public IReadOnlyList<CaptureOption> OtherRecords { get; init; } = [];

    /// <summary>opt_comment values of the block.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Other options of the block (ns_dnsname, ns_dnsIP4addr, ns_dnsIP6addr, custom options), as read.</summary>
    public IReadOnlyList<CaptureOption> OtherOptions { get; init; } = [];
}
