using BenchmarkDotNet.Attributes;
using Wirecap.Bench.Bpf;
using Wirecap.Bpf;
using Wirecap.Filter;

namespace Wirecap.Bench.Filter;

/// <summary>
/// Nanoseconds per packet of <see cref="PacketFilter"/> (context from the Ethernet header) against the paths it
/// replaced, over <see cref="BpfPacketMix"/>, in one run: the command line's former expression runner (the
/// interpreter with only the wire length) and a bare <see cref="BpfFilter"/>, on the same compiled expression.
/// Run: <c>dotnet run -c Release --project bench/Wirecap.Bench -- --filter '*PacketFilterBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BpfBenchConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PacketFilterBenchmarks
{
    private byte[][] _frames = null!;
    private BpfProgram _program = null!;
    private PacketFilter _compiled = null!, _interpreted = null!;
    private BpfFilter _bare = null!;

    [Params("tcp port 80", "udp port 53 or tcp port 80", "ip and not net 10.0.0.0/8")]
    public string Expression { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _frames = BpfPacketMix.Frames();
        _compiled = PacketFilter.Create(Expression, LinkType.Ethernet);
        _interpreted = PacketFilter.Create(Expression, LinkType.Ethernet, new PacketFilterOptions { Engine = new BpfFilterOptions { Compile = false } });
        _program = _compiled.Program;
        _bare = BpfFilter.Create(_program);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BpfPacketMix.Count, Description = "former CLI runner (interpreter)")]
    public uint FormerCliRunner()
    {
        uint kept = 0;
        foreach (var frame in _frames)
            if (BpfInterpreter.Run(_program, frame, new BpfContext { WireLength = (uint)frame.Length }) != 0) kept++;
        return kept;
    }

    [Benchmark(OperationsPerInvoke = BpfPacketMix.Count, Description = "PacketFilter, interpreter")]
    public uint PacketFilterInterpreted()
    {
        uint kept = 0;
        foreach (var frame in _frames)
            if (_interpreted.Run(frame, frame.Length) != 0) kept++;
        return kept;
    }

    [Benchmark(OperationsPerInvoke = BpfPacketMix.Count, Description = "BpfFilter, compiled")]
    public uint BareCompiled()
    {
        uint kept = 0;
        foreach (var frame in _frames)
            if (_bare.Run(frame) != 0) kept++;
        return kept;
    }

    [Benchmark(OperationsPerInvoke = BpfPacketMix.Count, Description = "PacketFilter, compiled")]
    public uint PacketFilterCompiled()
    {
        uint kept = 0;
        foreach (var frame in _frames)
            if (_compiled.Run(frame, frame.Length) != 0) kept++;
        return kept;
    }
}
