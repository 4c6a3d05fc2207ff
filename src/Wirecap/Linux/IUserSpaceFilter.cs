namespace Wirecap.Linux;

/// <summary>A filter run in this process on a frame (already carrying its cooked header, without a re-inserted
/// VLAN tag, as the kernel would have seen it). Returns how many bytes to keep, 0 to drop.</summary>
internal interface IUserSpaceFilter
{
    uint Run(ReadOnlySpan<byte> packet, in CapturedFrame frame);
}
