using System.Diagnostics.Metrics;

namespace DnsMonitor;

/// <summary>The monitor's own instrument, beside the library's (meter "Wirecap").</summary>
public sealed class NxdomainMetrics
{
    public const string MeterName = "DnsMonitor";

    private readonly Counter<long> _answers;

    public NxdomainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _answers = meter.CreateCounter<long>("dnsmonitor.nxdomain.answers", "{answer}", "NXDOMAIN answers seen, by server");
    }

    public void Seen(string server) => _answers.Add(1, new KeyValuePair<string, object?>("dns.server", server));
}
