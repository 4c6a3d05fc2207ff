using Wirecap.Bpf;
using Wirecap.Bpf.Compilation;
using Wirecap.Tests.Bpf.Support;
using NUnit.Framework;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Bpf;

/// <summary>The <see cref="BpfFilter"/> facade: engine choice, fallback, allocation, segmented packets, hoisted bounds checks.</summary>
[TestFixture]
public class BpfFilterTests
{
    private static BpfProgram TcpPort80 => BpfProgram.Create(BpfTestPrograms.Load("tcp-port-80"), BpfDialect.Kernel);

    [Test]
    public void Compiles_by_default_and_interprets_on_request()
    {
        Assert.That(BpfFilter.Create(TcpPort80).IsCompiled, Is.True);
        Assert.That(BpfFilter.Create(TcpPort80, new BpfFilterOptions { Compile = false }).IsCompiled, Is.False);
    }

    [Test]
    public void Falls_back_to_the_interpreter_without_dynamic_code_and_gives_the_same_results()
    {
        var fallback = BpfFilter.Create(TcpPort80, new BpfFilterOptions { DynamicCodeSupported = false });
        var compiled = BpfFilter.Create(TcpPort80);
        Assert.That(fallback.IsCompiled, Is.False);
        var random = new Random(3);
        int kept = 0;
        for (int i = 0; i < 2000; i++)
        {
            var frame = SampleFrames.Next(random);
            uint expected = BpfInterpreter.Run(TcpPort80, frame, default);
            Assert.That(fallback.Run(frame), Is.EqualTo(expected));
            Assert.That(compiled.Run(frame), Is.EqualTo(expected));
            if (expected != 0) kept++;
        }
        Assert.That(kept, Is.GreaterThan(0));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Running_allocates_nothing(bool compile)
    {
        var filter = BpfFilter.Create(BpfProgram.Create(BpfTestPrograms.Load("mixed-40"), BpfDialect.Kernel), new BpfFilterOptions { Compile = compile });
        var random = new Random(4);
        var frames = Enumerable.Range(0, 64).Select(_ => SampleFrames.Next(random)).ToArray();
        var context = new BpfContext { NetworkHeaderOffset = 14 };
        uint sum = 0;
        long allocated = Allocations.Quietest(6, () =>
        {
            for (int round = 0; round < 100; round++)
                foreach (var frame in frames) sum += filter.Run(frame, context);
        });
        Assert.That(allocated, Is.Zero, $"bytes allocated over {100 * frames.Length} runs (sum {sum})");
    }

    [Test]
    public void Multi_segment_packets_give_the_contiguous_result()
    {
        var filter = BpfFilter.Create(TcpPort80);
        var random = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            var frame = SampleFrames.Next(random);
            int split = random.Next(frame.Length + 1);
            var sequence = Segments.Split(frame, split);
            Assert.That(filter.Run(sequence, default), Is.EqualTo(filter.Run(frame)), $"split at {split}");
        }
    }

    [Test]
    public void A_data_offset_outside_the_buffer_is_refused_like_the_interpreter_does()
    {
        var compiled = BpfFilter.Create(TcpPort80);
        var context = new BpfContext { DataOffset = 11 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => compiled.Run(new byte[10], context));
        Assert.That(error!.Message, Does.Contain("DataOffset"));
        Assert.Throws<ArgumentOutOfRangeException>(() => BpfInterpreter.Run(TcpPort80, new byte[10], context));
    }

    [Test]
    public void Bounds_checks_are_hoisted_to_one_per_region()
    {
        // "tcp port 80": 7 absolute loads, several in straight-line regions.
        var program = BpfTestPrograms.Load("tcp-port-80");
        int loads = program.Count(i => BpfBoundsPlan.HoistableEnd(i, BpfDialect.Kernel) != 0);
        var plan = BpfBoundsPlan.Create(program, BpfDialect.Kernel);
        TestContext.Out.WriteLine($"{loads} absolute loads, {plan.CheckCount} length checks");
        Assert.That(plan.CheckCount, Is.LessThan(loads));
        for (int pc = 0; pc < program.Length; pc++)
            if (BpfBoundsPlan.HoistableEnd(program[pc], BpfDialect.Kernel) != 0)
                Assert.That(plan.IsCovered(pc), Is.True, $"load at {pc} is covered by a region check");
    }

    /// <summary>libpcap's validator checks only class and mode; opcodes it lets through that no interpreter knows end the program with 0.</summary>
    [TestCase((ushort)0x08)]
    [TestCase((ushort)0x0e)]
    [TestCase((ushort)0x0106)]
    [TestCase((ushort)0x8c)]
    public void Unknown_opcodes_the_libpcap_validator_accepts_return_0(ushort code)
    {
        BpfInstruction[] instructions =
        [
            BpfInstruction.Statement(BpfOpcode.LdImm, 7),
            BpfInstruction.Statement(code, 5),
            BpfInstruction.Statement(BpfOpcode.RetAcc),
        ];
        if (BpfValidator.TryValidate(instructions, BpfDialect.Libpcap) is { } refused)
            Assert.Ignore($"the libpcap validator refuses 0x{code:x}: {refused.Message}");
        var program = BpfProgram.Create(instructions, BpfDialect.Libpcap);
        Assert.That(BpfFilter.Create(program).Run(new byte[64]), Is.Zero);
        Assert.That(BpfInterpreter.Run(program, new byte[64]), Is.Zero);
    }

    /// <summary>Hoisted checks are exact at every boundary: each frame cut at every length gives the interpreter's result.</summary>
    [Test]
    public void Truncated_frames_give_the_interpreters_result_at_every_length()
    {
        var random = new Random(9);
        var frames = Enumerable.Range(0, 40).Select(_ => SampleFrames.Next(random)).ToArray();
        foreach (string name in BpfTestPrograms.Names)
        {
            var program = BpfProgram.Create(BpfTestPrograms.Load(name), BpfDialect.Kernel);
            var compiled = BpfFilter.Create(program);
            foreach (var frame in frames)
                for (int length = 0; length <= frame.Length; length++)
                {
                    var context = new BpfContext { WireLength = (uint)frame.Length };
                    Assert.That(compiled.Run(frame.AsSpan(0, length), context), Is.EqualTo(BpfInterpreter.Run(program, frame.AsSpan(0, length), context)),
                        $"{name}, frame cut to {length} of {frame.Length} bytes");
                }
        }
    }

    [Test]
    public void A_region_check_is_skipped_when_every_path_into_it_already_proved_the_length()
    {
        // ld [20]; jeq #1 → (ldb [3]; ret a) else (ret #0): the second region needs 4 bytes, 24 are proven.
        BpfInstruction[] program =
        [
            BpfInstruction.Statement(BpfOpcode.LdAbsW, 20),
            BpfInstruction.Jump(BpfOpcode.ClassJmp | BpfOpcode.OpJeq, 1, 0, 2),
            BpfInstruction.Statement(BpfOpcode.LdAbsB, 3),
            BpfInstruction.Statement(BpfOpcode.RetAcc),
            BpfInstruction.Statement(BpfOpcode.RetK, 0),
        ];
        var plan = BpfBoundsPlan.Create(program, BpfDialect.Kernel);
        Assert.That(plan.CheckBefore(0), Is.EqualTo(24));
        Assert.That(plan.CheckBefore(2), Is.Zero);
        Assert.That(plan.IsCovered(2), Is.True);
        Assert.That(plan.CheckCount, Is.EqualTo(1));
    }
}
