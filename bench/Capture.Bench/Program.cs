public class Program
{
    public static void Main(string[] a)
    {
        // bench/bpf-side-by-side.sh: the packets the BPF benchmarks filter, for the C benchmark over libpcap.
        if (a.Length == 2 && a[0] == "--write-bpf-mix")
        {
            Capture.Bench.Bpf.BpfPacketMix.WritePcap(a[1]);
            return;
        }
        if (a.Length == 1 && a[0] == "--bpf-kept-counts")
        {
            Capture.Bench.Bpf.BpfFilterBenchmarks.PrintKeptCounts();
            return;
        }
        if (a.Length == 1 && a[0] == "--filter-report")
        {
            Capture.Bench.Filter.FilterCompilerReport.Run(Capture.Bench.RepositoryRootLocator.Find());
            return;
        }
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(a);
    }
}
