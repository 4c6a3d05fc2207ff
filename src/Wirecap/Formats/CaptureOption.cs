namespace Wirecap.Formats;

/// <summary>
/// A pcapng option a block carries beyond the ones the library names (if_tzone, if_MACaddr, custom options...).
/// The value is kept as read, except that the integer options the format defines (if_tzone, if_txspeed, if_rxspeed,
/// epb_queue, the private enterprise number of a custom option) are held little-endian, whatever the section's
/// byte order, so that a writer of either byte order can write them back.
/// </summary>
/// <param name="Code">The option code.</param>
/// <param name="Value">The option's value, without its padding.</param>
public sealed record CaptureOption(ushort Code, ReadOnlyMemory<byte> Value)
{
    /// <summary>Custom options (codes 2988 and 2989) that may be copied to a new file; 19372 and 19373 may not.</summary>
    public bool IsCopyable => Code is not (PcapNgOption.CustomNoCopyString or PcapNgOption.CustomNoCopyBinary);
}
