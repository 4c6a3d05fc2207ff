using System.Diagnostics.Metrics;

namespace Wirecap.Sinks;

/// <summary>The file sinks' instruments on <see cref="WirecapMetrics.MeterName"/>, read from each open sink.</summary>
internal static class SinkMetrics
{
    private static readonly ObservedSet<CaptureFileSink> Open = new();

    static SinkMetrics()
    {
        var meter = WirecapMetrics.Meter;
        meter.CreateObservableCounter("wirecap.sink.bytes.written", () => Measure(static s => s.BytesWritten),
            "By", "Bytes a file sink wrote over all its files, headers included");
        meter.CreateObservableCounter("wirecap.sink.files.rotated", () => Measure(static s => s.FilesRotated),
            "{file}", "Files a sink closed to open the next one (by size or time)");
    }

    public static void Track(CaptureFileSink sink) => Open.Add(sink);

    public static void Untrack(CaptureFileSink sink) => Open.Remove(sink);

    private static IEnumerable<Measurement<long>> Measure(Func<CaptureFileSink, long> value)
    {
        foreach (var sink in Open.Snapshot())
            yield return new Measurement<long>(value(sink), new KeyValuePair<string, object?>(WirecapMetrics.SinkTag, sink.PathPattern));
    }
}
