namespace CookedInjectionSample;

/// <summary>The Linux protocol and hardware types the harness declares for its frames.</summary>
internal static class Protocols
{
    /// <summary>ETH_P_CAN: a SocketCAN frame.</summary>
    public const ushort Can = 0x000C;
    /// <summary>ETH_P_PPP_HDLC: PPP in HDLC-like framing (address, control, protocol).</summary>
    public const ushort PppHdlc = 0x0007;
    /// <summary>ARPHRD_CAN.</summary>
    public const ushort HardwareCan = 280;
    /// <summary>ARPHRD_PPP.</summary>
    public const ushort HardwarePpp = 512;
}
