namespace Wirecap.Formats;

/// <summary>The byte order a writer uses for header fields (readers accept both).</summary>
public enum CaptureByteOrder
{
    /// <summary>The byte order of this machine, as libpcap and tcpdump write.</summary>
    Native = 0,
    /// <summary>Least significant byte first.</summary>
    LittleEndian,
    /// <summary>Most significant byte first.</summary>
    BigEndian,
}
