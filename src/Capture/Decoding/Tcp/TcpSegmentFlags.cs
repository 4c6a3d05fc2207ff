namespace Capture.Decoding;

/// <summary>What a TCP segment means for its stream, with ncap's bit values (<c>ncap_tcp_*</c>).</summary>
[Flags]
public enum TcpSegmentFlags : uint
{
    /// <summary>Nothing special.</summary>
    None = 0,
    /// <summary>First segment of the stream (SYN).</summary>
    Syn = 0x1,
    /// <summary>Last segment of the stream (FIN).</summary>
    Fin = 0x2,
    /// <summary>The stream was reset (RST).</summary>
    Reset = 0x4,
    /// <summary>The segment's checksum did not verify (it is delivered anyway).</summary>
    ChecksumFailed = 0x8,
}
