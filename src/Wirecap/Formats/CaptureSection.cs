namespace Wirecap.Formats;

/// <summary>A pcapng Section Header Block: where a section starts, its byte order and its options.</summary>
public sealed class CaptureSection : CaptureBlock
{
    /// <summary>The section's number in the file, from 0.</summary>
    public int Index { get; init; }

    /// <summary>The byte order of the section's blocks.</summary>
    public CaptureByteOrder ByteOrder { get; init; }

    /// <summary>shb_hardware; null when absent.</summary>
    public string? Hardware { get; init; }

    /// <summary>shb_os; null when absent.</summary>
    public string? OperatingSystem { get; init; }

    /// <summary>shb_userappl; null when absent.</summary>
    public string? Application { get; init; }

    /// <summary>opt_comment values of the block.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Other options of the block (custom options), see <see cref="CaptureOption"/>.</summary>
    public IReadOnlyList<CaptureOption> OtherOptions { get; init; } = [];
}
