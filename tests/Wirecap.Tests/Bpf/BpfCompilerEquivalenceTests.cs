using Wirecap.Bpf;
using Wirecap.Tests.Bpf.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// The compiled form must give the interpreter's result for every program and packet: random valid
/// programs of both dialects, each run over random packets (empty, short, realistic, junk) with
/// random metadata (headroom, header offsets in and out of the buffer, truncation, VLAN data).
/// </summary>
[TestFixture]
public class BpfCompilerEquivalenceTests
{
    private const int PacketsPerProgram = 24;

    /// <summary>One generated case: a program and the inputs to run it on, reproducible from its seed.</summary>
    public sealed record Case(int Seed, BpfDialect Dialect)
    {
        public override string ToString() => $"seed {Seed}, {Dialect}";
    }

    [TestCase(BpfDialect.Kernel)]
    [TestCase(BpfDialect.Libpcap)]
    public void Compiled_form_agrees_with_the_interpreter_on_random_programs(BpfDialect dialect)
    {
        var cases = Gen.Choose(0, int.MaxValue).Select(seed => new Case(seed, dialect));
        var property = Prop.ForAll(Arb.From(cases), c => CheckCase(c));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Fuzz.Iterations(400)), property);
    }

    private static void CheckCase(Case c)
    {
        var random = new Random(c.Seed);
        var options = new RandomBpfOptions(c.Dialect)
        {
            BackwardJumps = c.Dialect == BpfDialect.Libpcap,
            ReadBeforeWrite = c.Dialect == BpfDialect.Libpcap,
        };
        var instructions = RandomBpf.Program(random, options);
        var program = BpfProgram.Create(instructions, c.Dialect);
        var compiled = BpfFilter.Create(program);
        Assert.That(compiled.IsCompiled, Is.True);
        for (int i = 0; i < PacketsPerProgram; i++)
        {
            var packet = RandomBpfInput.Packet(random);
            var context = RandomBpfInput.Context(random, packet.Length);
            int randomSeed = random.Next();
            uint expected = BpfInterpreter.Run(program, packet, context with { Random = RandomBpfInput.RandomSource(randomSeed) });
            uint actual = compiled.Run(packet, context with { Random = RandomBpfInput.RandomSource(randomSeed) });
            if (actual != expected)
                Assert.Fail($"{c}: compiled {actual} (0x{actual:x}), interpreter {expected} (0x{expected:x})\n" +
                            $"program:\n{BpfText.Listing(instructions)}packet ({packet.Length} bytes): {BpfText.Hex(packet)}\n" +
                            $"context: offset {context.DataOffset}, wire {context.WireLength}, ll {context.LinkLayerHeaderOffset}" +
                            $"{(context.LinkLayerHeaderMissing ? " (missing)" : "")}, net {context.NetworkHeaderOffset}, linear {context.LinearLength}");
        }
    }
}
