namespace Wirecap.Injection;

/// <summary>Settings of a <see cref="CookedInjector"/>.</summary>
public sealed class CookedInjectorOptions
{
    /// <summary>Interface index written into every record (a virtual "cooked" interface; 0 by default).</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>Default ARPHRD_* hardware type (e.g. 280 for CAN, 512 for PPP); 65534 (ARPHRD_NONE) by default.</summary>
    public ushort HardwareType { get; init; } = 65534;

    /// <summary>Protocol types (ETH_P_* values) accepted; null accepts all. Others are refused with an exception.</summary>
    public IReadOnlySet<ushort>? AllowedProtocols { get; init; }

    /// <summary>Frames longer than this are cut (the record keeps the original length). Default 262,144.</summary>
    public int SnapLength { get; init; } = 262_144;

    /// <summary>Clock for the records' timestamps.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
