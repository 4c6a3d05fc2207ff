namespace Wirecap.Formats;

/// <summary>
/// A pcapng Custom Block: data defined by the organisation a private enterprise number names. Its content (options
/// included, which only that organisation can tell from data) is opaque, so it is kept and written as read.
/// </summary>
public sealed class CustomBlock : CaptureBlock
{
    /// <summary>The IANA private enterprise number of the organisation that defines the data.</summary>
    public uint PrivateEnterpriseNumber { get; init; }

    /// <summary>The block's content after the enterprise number, as read.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>
    /// Whether the block may be copied to another file (block type 0x00000BAD); a block of type 0x40000BAD
    /// depends on the rest of its file and must not be.
    /// </summary>
    public bool IsCopyable { get; init; } = true;
}
