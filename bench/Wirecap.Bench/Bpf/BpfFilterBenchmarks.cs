using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Reports;
using Wirecap.Bpf;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace Wirecap.Bench.Bpf;

/// <summary>
/// Nanoseconds per packet for tcpdump-compiled filters over <see cref="BpfPacketMix"/>: the
/// interpreter and the IL-compiled form. bench/bpf-side-by-side.sh runs this next to libpcap's C
/// <c>bpf_filter</c> (native-shims/bpf_bench) on the same programs and packets.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BpfBenchConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class BpfFilterBenchmarks
{
    private BpfFilter _filter = null!;
    private byte[][] _frames = null!;

    /// <summary>A program in TestData/Bpf/Programs (embedded); expressions.txt there names its tcpdump expression.</summary>
    [Params("tcp-port-80", "udp-dst-port-53", "ip-not-net-10", "mixed-40")]
    public string Program { get; set; } = "";

    [Params("interpreter", "compiled")]
    public string Engine { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var program = BpfProgram.Create(LoadProgram(Program), BpfDialect.Kernel);
        _filter = BpfFilter.Create(program, new BpfFilterOptions { Compile = Engine == "compiled" });
        _frames = BpfPacketMix.Frames();
    }

    [Benchmark(OperationsPerInvoke = BpfPacketMix.Count)]
    public uint FilterPacket()
    {
        uint kept = 0;
        foreach (var frame in _frames)
            if (_filter.Run(frame) != 0) kept++;
        return kept;
    }

    /// <summary>"NAME KEPT-BY-INTERPRETER KEPT-BY-COMPILED" per program: the C benchmark prints the same counts.</summary>
    public static void PrintKeptCounts()
    {
        foreach (var name in typeof(BpfFilterBenchmarks).GetProperty(nameof(Program))!.GetCustomAttribute<ParamsAttribute>()!.Values)
            Console.WriteLine($"{name} {KeptCount((string)name!, compile: false)} {KeptCount((string)name!, compile: true)}");
    }

    private static int KeptCount(string name, bool compile)
    {
        var filter = BpfFilter.Create(BpfProgram.Create(LoadProgram(name), BpfDialect.Kernel), new BpfFilterOptions { Compile = compile });
        return BpfPacketMix.Frames().Count(f => filter.Run(f) != 0);
    }

    public static BpfInstruction[] LoadProgram(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"BpfPrograms.{name}.ddd")
                           ?? throw new ArgumentException($"no embedded program {name}");
        return BpfAssembler.Parse(new StreamReader(stream).ReadToEnd());
    }
}

/// <summary>Times in ns and sizes in bytes, without units in the CSV, so the side-by-side script can read them.</summary>
public sealed class BpfBenchConfig : ManualConfig
{
    public BpfBenchConfig()
    {
        var style = SummaryStyle.Default.WithTimeUnit(TimeUnit.Nanosecond).WithSizeUnit(SizeUnit.B);
        SummaryStyle = style;
        AddExporter(new CsvExporter(CsvSeparator.Comma, new SummaryStyle(null, printUnitsInHeader: true, SizeUnit.B, TimeUnit.Nanosecond, printUnitsInContent: false)));
        AddColumn(StatisticColumn.Min, StatisticColumn.Median);
    }
}
