using System.Diagnostics.Tracing;

namespace Wirecap.Bench.Filter;

/// <summary>
/// Which types a stretch of code allocates, from the runtime's allocation ticks (one event about every 100 KB
/// allocated, naming the type of the object that crossed the mark and whether it went to the large-object heap):
/// `FILTER_COMPILE_ALLOCATIONS=1` with `--filter-compile-cost`. Large-object allocations matter beyond their bytes:
/// they count toward the budget that starts full collections.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcKeyword = 0x1;
    private readonly Dictionary<(string Type, bool Large), int> _ticks = new();
    private volatile bool _sampling;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_sampling || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.Payload is null || e.PayloadNames is null)
            return;
        var large = Convert.ToInt32(e.Payload[e.PayloadNames.IndexOf("AllocationKind")], System.Globalization.CultureInfo.InvariantCulture) == 1;
        var type = e.Payload[e.PayloadNames.IndexOf("TypeName")]?.ToString() ?? "?";
        lock (_ticks)
            _ticks[(type, large)] = _ticks.GetValueOrDefault((type, large)) + 1;
    }

    /// <summary>Runs <paramref name="work"/> and prints the types most often allocated across a tick, most first.</summary>
    public void Sample(Action work, int top)
    {
        _sampling = true;
        work();
        _sampling = false;
        // The events arrive on the listener's thread, a little after the allocations.
        Thread.Sleep(500);
        lock (_ticks)
        {
            foreach (var ((type, large), ticks) in _ticks.OrderByDescending(t => t.Value).Take(top))
                Console.WriteLine($"  {ticks / 10.0,6:F1} MB {(large ? "large" : "small")} {type}");
        }
    }
}
