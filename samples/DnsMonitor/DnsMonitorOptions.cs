namespace DnsMonitor;

/// <summary>What the monitor watches (configuration section "DnsMonitor").</summary>
public sealed class DnsMonitorOptions
{
    public const string Section = "DnsMonitor";

    /// <summary>Interfaces to capture on (needs CAP_NET_RAW).</summary>
    public List<string> Interfaces { get; set; } = [];

    /// <summary>pcap, pcapng or NCAP files to read; with no interface the monitor stops when they end.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>The engine's NCAP filter, in ncap's syntax.</summary>
    public string Filter { get; set; } = "dns rcode=nxdomain";
}
