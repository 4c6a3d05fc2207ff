using System.Diagnostics.Metrics;

namespace Wirecap.Linux;

/// <summary>The live captures' instruments (AF_PACKET, TC and probe captures alike) on <see cref="WirecapMetrics.MeterName"/>: read from each open capture's
/// statistics when a listener collects.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class CaptureMetrics
{
    private static readonly ObservedSet<object> Open = new();

    static CaptureMetrics()
    {
        var meter = WirecapMetrics.Meter;
        meter.CreateObservableCounter("wirecap.capture.packets.received", () => Measure(static s => s.Received),
            "{packet}", "Packets the kernel accepted for the capture's socket, including those it then dropped");
        meter.CreateObservableCounter("wirecap.capture.packets.dropped", MeasureDrops,
            "{packet}", "Packets lost: the ring was full (kernel) or a filter run in this process rejected them (filter)");
        meter.CreateObservableCounter("wirecap.capture.packets.delivered", () => Measure(static s => s.Delivered),
            "{packet}", "Frames handed to the consumer");
        meter.CreateObservableCounter("wirecap.capture.bytes.delivered", () => Measure(static s => s.DeliveredBytes),
            "By", "Bytes of the frames handed to the consumer (as captured, after the snap length)");
    }

    public static void Track(PacketCapture capture) => Open.Add(capture);

    public static void Track(Tc.TcCapture capture) => Open.Add(capture);

    public static void Track(Probes.ProbeCapture capture) => Open.Add(capture);

    public static void Untrack(object capture) => Open.Remove(capture);

    /// <summary>A tracked capture's statistics and interface, unless it has closed meanwhile.</summary>
    private static bool TryRead(object capture, out CaptureStatistics statistics, out string name)
    {
        switch (capture)
        {
            case PacketCapture packet:
                name = packet.InterfaceName;
                return packet.TryGetStatistics(out statistics);
            case Tc.TcCapture tc:
                name = tc.InterfaceName;
                return tc.TryGetStatistics(out statistics);
            case Probes.ProbeCapture probe:
                name = ((ILiveCapture)probe).InterfaceName;
                return probe.TryGetStatistics(out statistics);
            default:
                (statistics, name) = (default, "");
                return false;
        }
    }

    private static IEnumerable<Measurement<long>> Measure(Func<CaptureStatistics, long> value)
    {
        foreach (var capture in Open.Snapshot())
            if (TryRead(capture, out var statistics, out var name))
                yield return new Measurement<long>(value(statistics), Tag(name));
    }

    private static IEnumerable<Measurement<long>> MeasureDrops()
    {
        foreach (var capture in Open.Snapshot())
        {
            if (!TryRead(capture, out var statistics, out var name)) continue;
            yield return new Measurement<long>(statistics.DroppedByKernel, Tag(name), new(WirecapMetrics.DropReasonTag, "kernel"));
            yield return new Measurement<long>(statistics.DroppedByFilter, Tag(name), new(WirecapMetrics.DropReasonTag, "filter"));
        }
    }

    private static KeyValuePair<string, object?> Tag(string name) => new(WirecapMetrics.InterfaceTag, name);
}
