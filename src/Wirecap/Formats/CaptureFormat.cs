namespace Wirecap.Formats;

/// <summary>A capture file format this library reads and writes.</summary>
public enum CaptureFormat
{
    /// <summary>Not (yet) known, for example a stream whose magic number matched no format.</summary>
    Unknown = 0,
    /// <summary>Classic libpcap format (magic a1b2c3d4 for microseconds, a1b23c4d for nanoseconds).</summary>
    Pcap,
    /// <summary>pcap next generation (block-based, several interfaces, options).</summary>
    PcapNg,
    /// <summary>The ncap message format (magic "NCAP").</summary>
    Ncap,
}
