namespace Wirecap;

/// <summary>The lengths of Linux's "cooked" link-layer headers, which capture on the <c>any</c> device, cooked
/// injection, the filter compiler, the decoders and the printer all lay out the same way.</summary>
public static class LinuxCookedHeader
{
    /// <summary>Length of the version 1 header (<see cref="LinkType.LinuxSll"/>): 16 bytes, protocol at offset 14.</summary>
    public const int V1Length = 16;

    /// <summary>Length of the version 2 header (<see cref="LinkType.LinuxSll2"/>): 20 bytes, protocol at offset 0.</summary>
    public const int V2Length = 20;
}
