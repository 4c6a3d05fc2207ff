public class Program
{
    public static int Main(string[] a)
    {
        // bench/bpf-side-by-side.sh: the packets the BPF benchmarks filter, for the C benchmark over libpcap.
        if (a.Length == 2 && a[0] == "--write-bpf-mix")
        {
            Wirecap.Bench.Bpf.BpfPacketMix.WritePcap(a[1]);
            return 0;
        }
        // bench/aot-side-by-side.sh: COUNT frames of that traffic mix as one pcap; bench/nats-vs-file.sh: each BYTES long.
        if (a.Length is 3 or 4 && a[0] == "--write-traffic")
        {
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            Wirecap.Bench.Bpf.BpfPacketMix.WriteTraffic(a[1], int.Parse(a[2], invariant), a.Length == 4 ? int.Parse(a[3], invariant) : null);
            return 0;
        }
        // bench/aot-side-by-side.sh: COUNT frames that tcpdump prints and ncaptool converts at their usual speed.
        if (a.Length == 3 && a[0] == "--write-plain-traffic")
        {
            Wirecap.Bench.Formats.PlainTraffic.Write(a[1], int.Parse(a[2], System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }
        if (a.Length == 1 && a[0] == "--bpf-kept-counts")
        {
            Wirecap.Bench.Bpf.BpfFilterBenchmarks.PrintKeptCounts();
            return 0;
        }
        // bench/live-side-by-side.sh: count live packets on IFACE with a ring of KIB KiB over N sockets.
        if (a.Length is 4 or 5 && a[0] == "--live-count")
        {
            Wirecap.Bench.Live.LiveCount.Run(a[1], int.Parse(a[2]), int.Parse(a[3]), a.Length == 5 ? a[4] : null);
            return 0;
        }
        // bench/tc-side-by-side.sh: the same count from a TC capture at IFACE's ingress: --tc-count IFACE KIB [FILTER].
        if (a.Length is 3 or 4 && a[0] == "--tc-count")
        {
            Wirecap.Bench.Live.TcCount.Run(a[1], int.Parse(a[2]), a.Length == 4 ? a[3] : null);
            return 0;
        }
        // Latency of a lone packet on lo: --live-latency PACKETS immediate|BLOCK_TIMEOUT_MS (run inside a network namespace).
        if (a.Length == 3 && a[0] == "--live-latency")
        {
            var immediate = a[2] == "immediate";
            Wirecap.Bench.Live.LiveLatency.Run(int.Parse(a[1]), immediate, immediate ? 64 : int.Parse(a[2]));
            return 0;
        }
        // bench/side-by-side.sh: pcap-generate / pcap-read timing modes.
        if (Wirecap.Bench.Formats.PcapReadCommand.TryRun(a, out int exitCode)) return exitCode;
        // bench/ncap-side-by-side.sh: ncap-generate / ncap-engine timing modes.
        if (Wirecap.Bench.Ncap.NcapEngineCommand.TryRun(a, out exitCode)) return exitCode;
        // BTF parse cost as CPU time (meaningful on a loaded machine): --btf-parse-cpu RUNS.
        if (Wirecap.Bench.Ebpf.BtfParseCommand.TryRun(a, out exitCode)) return exitCode;
        // Probe capacity (root): --probe-throughput SECONDS RING_KIB.
        if (Wirecap.Bench.Ebpf.ProbeThroughputCommand.TryRun(a, out exitCode)) return exitCode;
        // bench/probe-rate.sh: the events a probe records at a paced offered rate: --probe-count NETNS KIB.
        if (Wirecap.Bench.Ebpf.ProbeCount.TryRun(a, out exitCode)) return exitCode;
        // The filters' cost under NativeAOT (interpreted) beside the JIT's: --aot-filters [BenchmarkDotNet arguments].
        if (a.Length >= 1 && a[0] == "--aot-filters")
        {
            BenchmarkDotNet.Running.BenchmarkRunner.Run<Wirecap.Bench.Bpf.BpfFilterBenchmarks>(new Wirecap.Bench.Bpf.AotFilterConfig(), a[1..]);
            return 0;
        }
        // A filter's cost in the kernel (test run) as translated eBPF and as classic BPF, beside ours (root): --filter-cost ROUNDS REPEAT.
        if (Wirecap.Bench.Ebpf.FilterCostCommand.TryRun(a, out exitCode)) return exitCode;
        // The optimizer's safety net: every program of a fixed corpus no longer than recorded: --filter-identity record|compare FILE.
        if (Wirecap.Bench.Filter.FilterIdentity.TryRun(a, out exitCode)) return exitCode;
        // In-process cost of compiling a chain of ports: --filter-compile-cost TERMS [RUNS].
        if (Wirecap.Bench.Filter.FilterCompileCost.TryRun(a, out exitCode)) return exitCode;
        if (a.Length == 1 && a[0] == "--filter-report")
        {
            Wirecap.Bench.Filter.FilterCompilerReport.Run(Wirecap.Testing.Repository.Root);
            return 0;
        }
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(a);
        return 0;
    }
}
