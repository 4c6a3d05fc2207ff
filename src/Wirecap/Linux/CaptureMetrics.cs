using System.Diagnostics.Metrics;

namespace Wirecap.Linux;

/// <summary>The live captures' instruments on <see cref="WirecapMetrics.MeterName"/>: read from each open capture's
/// statistics when a listener collects.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class CaptureMetrics
{
    private static readonly ObservedSet<PacketCapture> Open = new();

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

    public static void Untrack(PacketCapture capture) => Open.Remove(capture);

    private static IEnumerable<Measurement<long>> Measure(Func<CaptureStatistics, long> value)
    {
        foreach (var capture in Open.Snapshot())
            if (capture.TryGetStatistics(out var statistics))
                yield return new Measurement<long>(value(statistics), Tag(capture));
    }

    private static IEnumerable<Measurement<long>> MeasureDrops()
    {
        foreach (var capture in Open.Snapshot())
        {
            if (!capture.TryGetStatistics(out var statistics)) continue;
            yield return new Measurement<long>(statistics.DroppedByKernel, Tag(capture), new(WirecapMetrics.DropReasonTag, "kernel"));
            yield return new Measurement<long>(statistics.DroppedByFilter, Tag(capture), new(WirecapMetrics.DropReasonTag, "filter"));
        }
    }

    private static KeyValuePair<string, object?> Tag(PacketCapture capture) => new(WirecapMetrics.InterfaceTag, capture.InterfaceName);
}
