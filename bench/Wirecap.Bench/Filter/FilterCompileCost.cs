using System.Diagnostics;
using Wirecap.Filter;

namespace Wirecap.Bench.Filter;

/// <summary>
/// `--filter-compile-cost TERMS [RUNS]`: the in-process cost of compiling `port 0 or port 1 or ...` of TERMS terms
/// for Ethernet (process CPU time, bytes allocated, program length) after one warm-up compile; what
/// bench/filter-compile-side-by-side.sh measures without start-up and JIT.
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
        var chain = string.Join(" or ", Enumerable.Range(0, terms).Select(i => $"port {i % 65536}"));
        FilterCompiler.CompileInstructions(chain, 1);
        for (var run = 0; run < runs; run++)
        {
            var cpu = Cpu();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var length = FilterCompiler.CompileInstructions(chain, 1).Length;
            var seconds = Cpu() - cpu;
            var megabytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6;
            Console.WriteLine($"{terms} terms: {seconds:F3} s CPU, {megabytes:F0} MB allocated, {length} instructions");
        }
        return true;
    }

    // The whole process's CPU time, so the garbage collector's threads are counted too.
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
