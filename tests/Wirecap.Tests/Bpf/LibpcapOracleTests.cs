using System.Text;
using Wirecap.Bpf;
using Wirecap.Tests.Bpf.Support;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// Debian's libpcap 1.10.3 as the oracle for the libpcap dialect, through native-shims/bpf_oracle:
/// its <c>bpf_filter</c> must give our interpreter's and compiled form's result on random programs
/// and packets, and its <c>bpf_validate</c> must accept exactly what our libpcap-mode validator accepts.
/// </summary>
[TestFixture]
public class LibpcapOracleTests
{
    private const int PacketsPerProgram = 16;

    [Test]
    public void Bpf_filter_agrees_with_the_libpcap_dialect_on_random_programs()
    {
        int seed = Fuzz.Seed();
        var random = new Random(seed);
        // libpcap 1.10.3 leaves scratch memory uninitialised and loops forever on backward jumps, so
        // the programs write every slot they read and jump forward only.
        var options = new RandomBpfOptions(BpfDialect.Libpcap) { MaxOffset = 100 };
        var cases = new List<(BpfInstruction[] Program, List<(byte[] Packet, uint WireLength)> Runs)>();
        for (int i = 0; i < Fuzz.Iterations(600); i++)
        {
            var runs = new List<(byte[], uint)>();
            for (int j = 0; j < PacketsPerProgram; j++)
            {
                var packet = RandomBpfInput.Packet(random);
                uint wire = random.Next(4) == 0 ? (uint)random.NextInt64(1, 1L << 32) : (uint)Math.Max(1, packet.Length);
                runs.Add((packet, wire));
            }
            cases.Add((RandomBpf.Program(random, options), runs));
        }
        CompareRuns(cases);
    }

    [Test]
    public void Bpf_filter_agrees_on_tcpdump_compiled_filters_over_a_traffic_mix()
    {
        var random = new Random(7);
        var frames = Enumerable.Range(0, 400).Select(_ => SampleFrames.Next(random)).ToList();
        var cases = BpfTestPrograms.Names
            .Select(name => (BpfTestPrograms.Load(name), frames.Select(f => (f, (uint)f.Length)).ToList()))
            .ToList();
        CompareRuns(cases);
    }

    [Test]
    public void Bpf_validate_agrees_with_the_libpcap_validator_on_random_programs()
    {
        int seed = Fuzz.Seed();
        var random = new Random(seed);
        var options = new RandomBpfOptions(BpfDialect.Libpcap) { BackwardJumps = true, ReadBeforeWrite = true };
        var programs = new List<BpfInstruction[]>();
        for (int i = 0; i < Fuzz.Iterations(3000); i++)
        {
            var program = RandomBpf.Program(random, options);
            programs.Add(random.Next(4) == 0 ? program : RandomBpf.Mutate(random, program));
        }
        var input = new StringBuilder();
        foreach (var program in programs) input.Append("p ").AppendLine(BpfText.Numbers(program));
        var lines = RunOracle(input.ToString());
        int accepted = 0;
        for (int i = 0; i < programs.Count; i++)
        {
            bool libpcap = lines[i] == "v 1";
            var ours = BpfValidator.TryValidate(programs[i], BpfDialect.Libpcap);
            if (libpcap != (ours is null))
                Assert.Fail($"bpf_validate says {(libpcap ? "valid" : "invalid")}, ours says " +
                            $"{(ours is null ? "valid" : $"invalid ({ours.Message})")}:\n{BpfText.Listing(programs[i])}");
            if (libpcap) accepted++;
        }
        // Both verdicts must be well represented, or the comparison proves little.
        Assert.That(accepted, Is.InRange(programs.Count / 5, programs.Count * 4 / 5), "accepted programs");
    }

    private static void CompareRuns(List<(BpfInstruction[] Program, List<(byte[] Packet, uint WireLength)> Runs)> cases)
    {
        var input = new StringBuilder();
        foreach (var (program, runs) in cases)
        {
            input.Append("p ").AppendLine(BpfText.Numbers(program));
            foreach (var (packet, wire) in runs) input.Append("r ").Append(wire).Append(' ').AppendLine(BpfText.Hex(packet));
        }
        var lines = RunOracle(input.ToString());
        int line = 0, kept = 0, total = 0;
        foreach (var (instructions, runs) in cases)
        {
            Assert.That(lines[line++], Is.EqualTo("v 1"), $"libpcap's bpf_validate refuses a program ours accepts:\n{BpfText.Listing(instructions)}");
            var program = BpfProgram.Create(instructions, BpfDialect.Libpcap);
            var compiled = BpfFilter.Create(program);
            foreach (var (packet, wire) in runs)
            {
                string answer = lines[line++];
                Assert.That(answer, Does.StartWith("r ").And.Not.EqualTo("r skip"));
                uint expected = uint.Parse(answer[2..]);
                var context = new BpfContext { WireLength = wire };
                uint interpreted = BpfInterpreter.Run(program, packet, context);
                uint fromCompiled = compiled.Run(packet, context);
                if (interpreted != expected || fromCompiled != expected)
                    Assert.Fail($"libpcap {expected}, interpreter {interpreted}, compiled {fromCompiled} on a {packet.Length}-byte packet " +
                                $"(wire {wire}) {BpfText.Hex(packet)}\n{BpfText.Listing(instructions)}");
                total++;
                if (expected != 0) kept++;
            }
        }
        Assert.That(line, Is.EqualTo(lines.Length));
        TestContext.Out.WriteLine($"{total} runs, {kept} kept");
        Assert.That(kept, Is.GreaterThan(0), "no packet was ever kept: the comparison proves little");
    }

    private static string[] RunOracle(string input)
    {
        Tool.Require("gcc");
        string oracle = NativeShim.Path("bpf_oracle");
        return Tool.RunOk(oracle, "", input).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
