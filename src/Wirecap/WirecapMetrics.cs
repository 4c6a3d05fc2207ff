using System.Diagnostics.Metrics;

namespace Wirecap;

/// <summary>
/// The library's metrics, published with System.Diagnostics.Metrics on the meter named <see cref="MeterName"/>
/// ("Wirecap"): export them with OpenTelemetry (<c>AddMeter("Wirecap")</c>), <c>dotnet-counters</c> or a
/// <see cref="MeterListener"/>. Every instrument is observable: its values are read from the counters the
/// captures, engines and sinks keep anyway when a listener collects, so nothing is recorded per packet.
/// </summary>
/// <remarks>
/// Instruments (cumulative counters; tags in brackets):
/// <list type="bullet">
/// <item><c>wirecap.capture.packets.received</c>, <c>wirecap.capture.packets.dropped</c> [<c>wirecap.drop_reason</c>:
/// <c>kernel</c> or <c>filter</c>], <c>wirecap.capture.packets.delivered</c>, <c>wirecap.capture.bytes.delivered</c>
/// — per live capture [<c>wirecap.interface</c>].</item>
/// <item><c>wirecap.engine.messages.delivered</c>, <c>wirecap.engine.messages.dropped</c> [<c>wirecap.drop_reason</c>: the
/// <see cref="Decoding.NcapDropReason"/> in snake case, e.g. <c>fragment_dropped</c>] — per NCAP engine [<c>wirecap.engine</c>];
/// <c>wirecap.engine.source.messages</c> — per source of an engine [<c>wirecap.engine</c>, <c>wirecap.source</c>: e.g.
/// <c>if eth0</c>].</item>
/// <item><c>wirecap.sink.bytes.written</c>, <c>wirecap.sink.files.rotated</c> — per file sink [<c>wirecap.sink</c>: its path
/// pattern].</item>
/// </list>
/// </remarks>
public static class WirecapMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c> and <see cref="MeterListener"/> filters.</summary>
    public const string MeterName = "Wirecap";

    /// <summary>Tag naming the interface of a live capture.</summary>
    public const string InterfaceTag = "wirecap.interface";

    /// <summary>Tag naming a source (an NCAP engine source's description, e.g. "if eth0" or "pf file.pcap").</summary>
    public const string SourceTag = "wirecap.source";

    /// <summary>Tag naming why packets or messages were dropped.</summary>
    public const string DropReasonTag = "wirecap.drop_reason";

    /// <summary>Tag naming an NCAP engine (<see cref="Ncap.NcapEngineOptions.Name"/>).</summary>
    public const string EngineTag = "wirecap.engine";

    /// <summary>Tag naming a sink (a file sink's path pattern).</summary>
    public const string SinkTag = "wirecap.sink";

    internal static readonly Meter Meter = new(MeterName, typeof(WirecapMetrics).Assembly.GetName().Version?.ToString(3));
}
