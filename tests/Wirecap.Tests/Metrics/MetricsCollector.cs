using System.Diagnostics.Metrics;

namespace Wirecap.Tests.Metrics;

/// <summary>Collects the Wirecap meter's observable instruments on demand, as an exporter would.</summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, string? Unit, long Value, Dictionary<string, object?> Tags)> _measurements = [];

    public MetricsCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WirecapMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags) copy[tag.Key] = tag.Value;
            _measurements.Add((instrument.Name, instrument.Unit, value, copy));
        });
        _listener.Start();
    }

    /// <summary>The value of <paramref name="instrument"/> for the series whose tags include all of <paramref name="tags"/>,
    /// or null when there is no such series.</summary>
    public long? Collect(string instrument, params (string Key, string Value)[] tags)
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        var matching = _measurements.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).ToList();
        if (matching.Count > 1) throw new InvalidOperationException($"{matching.Count} series of {instrument} match");
        return matching.Count == 0 ? null : matching[0].Value;
    }

    /// <summary>The unit an instrument was published with.</summary>
    public string? UnitOf(string instrument)
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return _measurements.FirstOrDefault(m => m.Instrument == instrument).Unit;
    }

    public void Dispose() => _listener.Dispose();
}
