using System.Diagnostics;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Bench.Ebpf;

/// <summary>
/// <c>--btf-parse-cpu N</c>: loads the kernel's BTF N times and prints wall and CPU time per load. On a
/// shared, loaded machine the CPU time is the figure that means something (the wall time counts the
/// waits for a core too).
/// </summary>
public static class BtfParseCommand
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length != 2 || args[0] != "--btf-parse-cpu") return false;
        int runs = int.Parse(args[1]);
        BtfTypes.Load(BtfTypes.VmlinuxPath); // JIT and page cache
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        int types = 0;
        for (int i = 0; i < runs; i++) types = BtfTypes.Load(BtfTypes.VmlinuxPath).Count;
        wall.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        Console.WriteLine($"BtfTypes.Load({BtfTypes.VmlinuxPath}): {types - 1} types, {runs} loads: " +
            $"{wall.Elapsed.TotalMilliseconds / runs:F1} ms wall, {cpu.TotalMilliseconds / runs:F1} ms CPU per load (CPU includes the GC's threads)");
        return true;
    }
}
