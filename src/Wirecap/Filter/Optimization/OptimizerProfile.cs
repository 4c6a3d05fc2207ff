using System.Diagnostics;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// Where the optimizer's time and memory go, pass by pass (bench's --filter-compile-cost); the optimizer runs the
/// same passes with or without one.
/// </summary>
internal sealed class OptimizerProfile
{
    public Dictionary<string, (double Seconds, long Bytes, int Calls)> Passes { get; } = new();
    public int Rounds { get; set; }
    /// <summary>One line per optimizer round: blocks swept, edges tried and threaded, blocks explored.</summary>
    public List<string> RoundLog { get; } = [];

    public static T Measure<T>(OptimizerProfile? profile, string pass, Func<T> run)
    {
        if (profile is null)
            return run();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var result = run();
        var (seconds, allocated, calls) = profile.Passes.GetValueOrDefault(pass);
        profile.Passes[pass] = (seconds + watch.Elapsed.TotalSeconds, allocated + GC.GetAllocatedBytesForCurrentThread() - bytes, calls + 1);
        return result;
    }
}
