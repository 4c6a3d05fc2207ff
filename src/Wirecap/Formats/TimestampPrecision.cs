namespace Wirecap.Formats;

/// <summary>The timestamp unit of a classic pcap file.</summary>
public enum TimestampPrecision
{
    /// <summary>Microseconds (magic a1b2c3d4), what tcpdump writes by default.</summary>
    Microsecond = 0,
    /// <summary>Nanoseconds (magic a1b23c4d).</summary>
    Nanosecond,
}
