using System.Diagnostics.Metrics;
using Wirecap.Decoding;

namespace Wirecap.Ncap;

/// <summary>The NCAP engines' instruments on <see cref="WirecapMetrics.MeterName"/>, read from each engine's counters.</summary>
internal static class EngineMetrics
{
    private static readonly ObservedSet<NcapEngine> Open = new();
    private static readonly NcapDropReason[] Reasons = Enum.GetValues<NcapDropReason>();
    private static readonly string[] ReasonNames = [.. Reasons.Select(TagValue)];
    private static int _engines;

    static EngineMetrics()
    {
        var meter = WirecapMetrics.Meter;
        meter.CreateObservableCounter("wirecap.engine.messages.delivered", MeasureDelivered,
            "{message}", "NCAP messages an engine handed to its collect callback");
        meter.CreateObservableCounter("wirecap.engine.messages.dropped", MeasureDropped,
            "{message}", "Frames or messages an engine did not deliver, by reason (its sources' decoders and its own filter)");
        meter.CreateObservableCounter("wirecap.engine.source.messages", MeasureSources,
            "{message}", "NCAP messages each source of an engine produced, before the engine's filter");
    }

    /// <summary>The name an engine gets when its options give none: "ncap-1", "ncap-2"...</summary>
    public static string NextName() => "ncap-" + Interlocked.Increment(ref _engines);

    public static void Track(NcapEngine engine) => Open.Add(engine);

    public static void Untrack(NcapEngine engine) => Open.Remove(engine);

    /// <summary>"FragmentDropped" becomes "fragment_dropped", the tag style OpenTelemetry uses.</summary>
    internal static string TagValue(NcapDropReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static IEnumerable<Measurement<long>> MeasureDelivered()
    {
        foreach (var engine in Open.Snapshot())
            yield return new Measurement<long>(engine.Delivered, Tag(engine));
    }

    private static IEnumerable<Measurement<long>> MeasureDropped()
    {
        foreach (var engine in Open.Snapshot())
            for (var i = 0; i < Reasons.Length; i++)
                yield return new Measurement<long>(engine.Dropped(Reasons[i]), Tag(engine), new(WirecapMetrics.DropReasonTag, ReasonNames[i]));
    }

    private static IEnumerable<Measurement<long>> MeasureSources()
    {
        foreach (var engine in Open.Snapshot())
            foreach (var source in engine.Sources)
                yield return new Measurement<long>(source.Messages, Tag(engine), new(WirecapMetrics.SourceTag, source.Description));
    }

    private static KeyValuePair<string, object?> Tag(NcapEngine engine) => new(WirecapMetrics.EngineTag, engine.Name);
}
