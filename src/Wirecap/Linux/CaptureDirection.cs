namespace Wirecap.Linux;

/// <summary>Which packets of an interface a capture sees (tcpdump's <c>-Q</c>).</summary>
public enum CaptureDirection
{
    /// <summary>Both received and sent packets (the default).</summary>
    InOut,

    /// <summary>Only received packets; the kernel stops queueing sent ones (<c>PACKET_IGNORE_OUTGOING</c>).</summary>
    In,

    /// <summary>Only packets sent by this host.</summary>
    Out,
}
