namespace Wirecap.Formats;

/// <summary>
/// A block of a capture file that describes rather than carries packets: a section header, an interface
/// description, interface statistics, name resolution, decryption secrets or a custom block.
/// <see cref="CaptureReader.Blocks"/> lists them in file order, so that a copy can write each where it was.
/// </summary>
public abstract class CaptureBlock
{
    private protected CaptureBlock() { }
}
