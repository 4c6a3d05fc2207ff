using System.Runtime.InteropServices;
using Wirecap.Bench.Bpf;
using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Translation;

namespace Wirecap.Bench.Ebpf;

/// <summary>
/// <c>--filter-cost ROUNDS REPEAT</c> (root): what one filter run costs, per packet, four ways, over the
/// <see cref="BpfPacketMix"/> frames: in the kernel through <c>BPF_PROG_TEST_RUN</c> with REPEAT repetitions per frame
/// (the kernel's own mean time per repetition, which leaves out the time the test thread is rescheduled) as our
/// translation (<see cref="CbpfTranslator.BuildClassifier"/>, the TC back-end) and as the kernel would run the classic
/// program (<see cref="KernelClassicConversion"/>); and in user space as our interpreter and our IL-compiled filter
/// (thread CPU time). An empty program gives the test run's own cost per repetition. The four run in turn within each
/// round, so a change in the machine's load hits all of them; the table gives the median over rounds with the range,
/// and the translated/classic ratio taken round by round.
/// </summary>
public static partial class FilterCostCommand
{
    private static readonly string[] Programs = ["tcp-port-80", "udp-dst-port-53", "ip-not-net-10", "mixed-40"];
    private static readonly string[] Engines = ["eBPF, translated", "cBPF, kernel's conversion", "interpreter", "IL-compiled"];

    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length != 3 || args[0] != "--filter-cost") return false;
        exitCode = Run(int.Parse(args[1]), int.Parse(args[2]));
        return true;
    }

    private static int Run(int rounds, int repeat)
    {
        // The test run refuses IPv4/IPv6 frames shorter than their fixed network header.
        var frames = BpfPacketMix.Frames().Where(Runnable).ToArray();
        var filters = Programs.Select(name => new Filter(name, BpfProgram.Create(BpfFilterBenchmarks.LoadProgram(name), BpfDialect.Kernel))).ToList();
        using var empty = Load(new EbpfAssembler().Mov64(EbpfRegister.R0, 0).Exit().Build(), "wirecap_empty");
        int mismatches = filters.Sum(f => f.CheckVerdicts(frames));
        foreach (var f in filters) f.WarmUp(frames, repeat);

        var baseline = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            baseline.Add(TestRunNs(empty, frames, repeat));
            foreach (var f in filters)
            {
                f.Times[0].Add(TestRunNs(f.Translated, frames, repeat));
                f.Times[1].Add(TestRunNs(f.Classic, frames, repeat));
                f.Times[2].Add(UserNs(f.Interpreter, frames, repeat));
                f.Times[3].Add(UserNs(f.Compiled, frames, repeat));
            }
        }

        Console.WriteLine($"{frames.Length} frames, {rounds} rounds, test run repeat {repeat} per frame, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine($"empty program: {Summary(baseline)} ns per test-run repetition (included in the kernel figures below)");
        Console.WriteLine();
        Console.WriteLine("| filter | classic insns | eBPF insns (translated / kernel's conversion) | " + string.Join(" | ", Engines.Select(e => e + " ns/packet")) +
                          " | translated / kernel cBPF | net of the empty program: translated, kernel cBPF ns | net ratio |");
        Console.WriteLine("| --- | ---: | ---: | " + string.Join(" | ", Engines.Select(_ => "---:")) + " | ---: | ---: | ---: |");
        foreach (var f in filters)
        {
            var ratios = f.Times[0].Zip(f.Times[1], (t, c) => t / c).ToList();
            // Net figures subtract the same round's empty-program time: the filter's own instructions.
            var netTranslated = f.Times[0].Zip(baseline, (t, b) => t - b).ToList();
            var netClassic = f.Times[1].Zip(baseline, (c, b) => c - b).ToList();
            var netRatios = netTranslated.Zip(netClassic, (t, c) => t / c).ToList();
            Console.WriteLine($"| {f.Name} | {f.Program.Instructions.Length} | {f.Translated.Length} / {f.Classic.Length} | " +
                string.Join(" | ", f.Times.Select(Summary)) + $" | {Summary(ratios, "F2")} | {Summary(netTranslated)}, {Summary(netClassic)} | {Summary(netRatios, "F2")} |");
        }
        if (mismatches > 0) Console.WriteLine($"VERDICT MISMATCHES: {mismatches} (figures are not comparable)");
        return mismatches == 0 ? 0 : 1;
    }

    private static string Summary(List<double> values) => Summary(values, "F1");

    private static string Summary(List<double> values, string format)
    {
        var sorted = values.Order().ToList();
        double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        return $"{median.ToString(format)} ({sorted[0].ToString(format)}–{sorted[^1].ToString(format)})";
    }

    private static double TestRunNs(EbpfProgram program, byte[][] frames, int repeat)
    {
        double total = 0;
        foreach (var frame in frames) total += program.TestRun(frame, repeat: repeat).DurationNs;
        return total / frames.Length;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double UserNs(BpfFilter filter, byte[][] frames, int repeat)
    {
        uint sink = 0;
        long start = ThreadCpuNs();
        for (int i = 0; i < repeat; i++)
            foreach (var frame in frames) sink += filter.Run(frame);
        long cpu = ThreadCpuNs() - start;
        GC.KeepAlive(sink);
        return cpu / ((double)repeat * frames.Length);
    }

    private static bool Runnable(byte[] frame)
    {
        if (frame.Length < 14) return false;
        int type = frame[12] << 8 | frame[13];
        return type switch { 0x0800 => frame.Length >= 34, 0x86dd => frame.Length >= 54, _ => true };
    }

    private static EbpfProgram Load(EbpfCode code, string name) =>
        EbpfProgram.Load(code, new EbpfProgramLoadOptions { Type = EbpfProgramType.SchedClassifier, Name = name });

    private sealed class Filter(string name, BpfProgram program)
    {
        public string Name { get; } = name;
        public BpfProgram Program { get; } = program;
        public EbpfProgram Translated { get; } = Load(CbpfTranslator.BuildClassifier(program), "wirecap_xlated");
        public EbpfProgram Classic { get; } = Load(KernelClassicConversion.Convert(program), "wirecap_classic");
        public BpfFilter Interpreter { get; } = BpfFilter.Create(program, new BpfFilterOptions { Compile = false });
        public BpfFilter Compiled { get; } = BpfFilter.Create(program, new BpfFilterOptions { Compile = true });
        public List<double>[] Times { get; } = [[], [], [], []];

        /// <summary>All four must keep the same bytes of every frame, or the timing compares different work.</summary>
        public int CheckVerdicts(byte[][] frames)
        {
            int bad = 0;
            foreach (var frame in frames)
            {
                uint expected = Math.Min(Interpreter.Run(frame), (uint)frame.Length);
                uint translated = Translated.TestRun(frame).ReturnValue;
                uint classic = Math.Min(Classic.TestRun(frame).ReturnValue, (uint)frame.Length);
                uint compiled = Math.Min(Compiled.Run(frame), (uint)frame.Length);
                if (translated == expected && classic == expected && compiled == expected) continue;
                if (bad++ < 3)
                    Console.Error.WriteLine($"{Name}: interpreter {expected}, translated {translated}, kernel's conversion {classic}, compiled {compiled} on {Convert.ToHexString(frame)}");
            }
            return bad;
        }

        public void WarmUp(byte[][] frames, int repeat)
        {
            UserNs(Interpreter, frames, repeat);
            UserNs(Compiled, frames, repeat);
        }
    }

    private static long ThreadCpuNs()
    {
        if (ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var now) != 0) throw new InvalidOperationException("clock_gettime failed");
        return now.Seconds * 1_000_000_000 + now.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
