using System.Diagnostics;
using Wirecap.Filter;
using Wirecap.Filter.CodeGen;
using Wirecap.Filter.Optimization;
using Wirecap.Filter.Syntax;

namespace Wirecap.Bench.Filter;

/// <summary>
/// `--filter-compile-cost TERMS [RUNS]`: the in-process cost of compiling `port 0 or port 1 or ...` of TERMS terms
/// (or of another term, FILTER_COMPILE_TERM="port {0} and udp")
/// for Ethernet (process CPU time, bytes allocated, collections by generation and the time the collector paused
/// the process, program length) after one warm-up compile; what
/// bench/filter-compile-side-by-side.sh measures without start-up and JIT; then one compile profiled pass by pass.
/// </summary>
public static class FilterCompileCost
{
    public static bool TryRun(string[] a, out int exitCode)
    {
        exitCode = 0;
        if (a.Length is not (2 or 3) || a[0] != "--filter-compile-cost")
            return false;
        var terms = int.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture);
        var runs = a.Length == 3 ? int.Parse(a[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
        // FILTER_COMPILE_TERM: another term ("{0}" is the term's number), for other families of long expressions.
        var term = Environment.GetEnvironmentVariable("FILTER_COMPILE_TERM") ?? "port {0}";
        var chain = string.Join(" or ", Enumerable.Range(0, terms).Select(i => string.Format(System.Globalization.CultureInfo.InvariantCulture, term, i % 65536)));
        FilterCompiler.CompileInstructions(chain, 1);
        if (Environment.GetEnvironmentVariable("FILTER_COMPILE_ALLOCATIONS") == "1")
        {
            Console.WriteLine("allocated per compile, by type (about 100 KB a tick):");
            using var sampler = new AllocationSampler();
            sampler.Sample(() => FilterCompiler.CompileInstructions(chain, 1), 30);
        }
        for (var run = 0; run < runs; run++)
        {
            var cpu = Cpu();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            var length = FilterCompiler.CompileInstructions(chain, 1).Length;
            var seconds = Cpu() - cpu;
            var megabytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6;
            Console.WriteLine($"{terms} terms: {seconds:F3} s CPU, {megabytes:F0} MB allocated, {length} instructions; collections {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}, paused {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F3} s");
        }
        Profile(chain);
        return true;
    }

    /// <summary>One more compile, pass by pass (wall time on this thread, bytes it allocated).</summary>
    private static void Profile(string chain)
    {
        var profile = new OptimizerProfile();
        var watch = Stopwatch.StartNew();
        var tree = Parser.Parse(chain);
        var generator = new CodeGenerator(1, null, SystemNameResolver.Instance);
        var entry = Lowering.Lower(generator.Generate(tree), 262144);
        var front = watch.Elapsed.TotalSeconds;
        var blocks = BlockGraph.TopologicalOrder(entry)!.Count;
        entry = BlockOptimizer.Optimize(entry, profile);
        watch.Restart();
        var length = Emitter.Emit(entry).Length;
        Console.WriteLine($"profile: parse, generate and lower {front:F3} s ({blocks} blocks); {profile.Rounds} optimizer rounds; emit {watch.Elapsed.TotalSeconds:F3} s ({length} instructions)");
        foreach (var (pass, (seconds, bytes, calls)) in profile.Passes.OrderByDescending(p => p.Value.Seconds))
            Console.WriteLine($"  {pass,-16} {seconds,7:F3} s {bytes / 1e6,7:F0} MB in {calls} calls");
        for (var round = 0; round < profile.RoundLog.Count; round++)
            Console.WriteLine($"  round {round}: {profile.RoundLog[round]}");
    }

    // The whole process's CPU time, so the garbage collector's threads are counted too.
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
