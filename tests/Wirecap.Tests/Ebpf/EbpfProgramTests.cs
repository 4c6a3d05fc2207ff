using System.Buffers.Binary;
using Wirecap.Ebpf;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Tests.Ebpf;

/// <summary>Program load, the verifier's refusals and log, <c>BPF_PROG_TEST_RUN</c>, maps and object ids, with the
/// kernel as the judge.</summary>
[TestFixture]
public class EbpfProgramTests
{
    [SetUp]
    public void RequireBpf() => EbpfTestSupport.RequireBpf();

    [Test]
    public void A_loaded_program_runs_on_a_test_packet_and_returns_its_value()
    {
        var asm = new EbpfAssembler();
        asm.Load(EbpfSize.Word, R0, R1, SkBuffField.Length).Alu32(EbpfAluOp.Add, R0, 1000).Exit();
        using var program = EbpfTestSupport.LoadClassifier(asm.Build());
        var result = program.TestRun(EbpfTestSupport.UdpFrame(77));
        Assert.That(result.ReturnValue, Is.EqualTo(1077u));
        Assert.That(program.Id, Is.GreaterThan(0u));
    }

    [Test]
    public void The_kept_verifier_log_reports_the_processed_instructions()
    {
        var asm = new EbpfAssembler();
        asm.Mov64(R0, 0).Exit();
        using var program = EbpfTestSupport.LoadClassifier(asm.Build(), keepLog: true);
        Assert.That(program.VerifierLog, Does.Contain("processed 2 insns"));
    }

    [Test]
    public void A_rejected_program_throws_with_the_verifiers_reason_at_the_end_of_the_message()
    {
        var asm = new EbpfAssembler();
        asm.Mov64(R0, R2).Exit();   // R2 is never written: "R2 !read_ok"
        var e = Assert.Throws<EbpfVerifierException>(() => EbpfTestSupport.LoadClassifier(asm.Build()));
        Assert.That(e!.Call, Is.EqualTo("bpf(BPF_PROG_LOAD)"));
        Assert.That(e.Message, Does.Contain("R2 !read_ok"));
        Assert.That(e.VerifierLog, Does.Contain("R2 !read_ok"));
    }

    [Test]
    public void The_verifier_log_prints_instructions_as_the_disassembler_does()
    {
        // A log of level 1 lists every instruction it walks; a program that fails at its last instruction
        // shows all of them, so each line of the disassembly must appear verbatim.
        var asm = new EbpfAssembler();
        var skip = asm.DefineLabel();
        asm.Mov64(R6, R1)
           .Load(EbpfSize.Word, R2, R6, SkBuffField.Length)
           .Alu32(EbpfAluOp.And, R2, 0xff)
           .Store(EbpfSize.Word, R10, -4, R2)
           .Jump32(EbpfJumpOp.Greater, R2, 5, skip)
           .Alu64(EbpfAluOp.Add, R2, 7)
           .Mark(skip)
           .Mov32(R0, R3)           // R3 unset: rejected here
           .Exit();
        var code = asm.Build();
        var e = Assert.Throws<EbpfVerifierException>(() => EbpfTestSupport.LoadClassifier(code));
        foreach (var line in code.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            Assert.That(e!.VerifierLog, Does.Contain(line), "verifier log:\n" + e.VerifierLog);
    }

    [Test]
    public void A_program_too_long_for_a_small_log_still_gets_its_whole_log()
    {
        // 20,000 instructions of log overflow the first 64 KiB buffer: the loader grows it (ENOSPC) and the
        // message still ends with the reason.
        var asm = new EbpfAssembler();
        asm.Mov64(R0, 0);
        for (int i = 0; i < 20_000; i++) asm.Alu64(EbpfAluOp.Add, R0, 1);
        asm.Mov64(R0, R5).Exit();
        var e = Assert.Throws<EbpfVerifierException>(() => EbpfTestSupport.LoadClassifier(asm.Build()));
        Assert.That(e!.Message, Does.Contain("R5 !read_ok"));
        Assert.That(e.VerifierLog.Length, Is.GreaterThan(64 * 1024));
    }

    [Test]
    public void Array_elements_are_written_and_read_back_and_counters_summed_over_cpus()
    {
        using var array = EbpfMap.CreateArray(valueSize: 16, entries: 4, name: "wc_test_arr");
        var value = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(value, 0x1234);
        array.Update(2, value);
        var back = new byte[16];
        array.Lookup(2, back);
        Assert.That(back, Is.EqualTo(value));
        Assert.That(array.SumCounter(2), Is.EqualTo(0x1234ul));
        Assert.That(array.Id, Is.GreaterThan(0u));

        // A program increments a per-CPU counter; the sum over CPUs counts every run.
        using var counters = EbpfMap.CreatePerCpuArray(valueSize: 8, entries: 1, name: "wc_test_pcpu");
        var asm = new EbpfAssembler();
        var missing = asm.DefineLabel();
        asm.StoreImmediate(EbpfSize.Word, R10, -4, 0)
           .LoadMap(R1, counters).Mov64(R2, R10).Alu64(EbpfAluOp.Add, R2, -4)
           .Call(EbpfHelper.MapLookupElement)
           .Jump(EbpfJumpOp.Equal, R0, 0, missing)
           .Load(EbpfSize.Double, R1, R0, 0).Alu64(EbpfAluOp.Add, R1, 1).Store(EbpfSize.Double, R0, 0, R1)
           .Mark(missing).Mov64(R0, 0).Exit();
        using var program = EbpfTestSupport.LoadClassifier(asm.Build());
        program.TestRun(EbpfTestSupport.UdpFrame(), repeat: 25);
        Assert.That(counters.SumCounter(0), Is.EqualTo(25ul));
    }

    [Test]
    public void Ring_buffer_records_are_read_in_place_and_discarded_ones_skipped()
    {
        using var map = EbpfMap.CreateRingBuffer(4096 * 4, "wc_test_ring");
        // Reserve 16 bytes; write skb->len and a marker; discard when len is odd, else submit.
        var asm = new EbpfAssembler();
        var nothing = asm.DefineLabel();
        var discard = asm.DefineLabel();
        asm.Mov64(R6, R1)
           .LoadMap(R1, map).Mov64(R2, 16).Mov64(R3, 0).Call(EbpfHelper.RingbufReserve)
           .Jump(EbpfJumpOp.Equal, R0, 0, nothing)
           .Load(EbpfSize.Word, R2, R6, SkBuffField.Length)
           .Store(EbpfSize.Word, R0, 0, R2)
           .StoreImmediate(EbpfSize.Word, R0, 4, 0x5eed)
           .StoreImmediate(EbpfSize.Double, R0, 8, -1)
           .Mov64(R1, R0).Mov64(R2, 0)
           .Load(EbpfSize.Word, R3, R6, SkBuffField.Length)
           .Jump(EbpfJumpOp.AnyBitSet, R3, 1, discard)
           .Call(EbpfHelper.RingbufSubmit).Jump(nothing)
           .Mark(discard).Call(EbpfHelper.RingbufDiscard)
           .Mark(nothing).Mov64(R0, 0).Exit();
        using var program = EbpfTestSupport.LoadClassifier(asm.Build());
        using var ring = EbpfRingBuffer.Open(map);
        Assert.That(ring.TryRead(out _), Is.False);
        foreach (int length in new[] { 60, 61, 62, 63, 64 }) program.TestRun(EbpfTestSupport.UdpFrame(length));
        Assert.That(ring.WaitForData(0), Is.True);
        var seen = new List<(uint Len, uint Marker, int Size)>();
        int n = ring.Drain(r => seen.Add((BinaryPrimitives.ReadUInt32LittleEndian(r), BinaryPrimitives.ReadUInt32LittleEndian(r[4..]), r.Length)));
        Assert.That(n, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(new[] { (60u, 0x5eedu, 16), (62u, 0x5eedu, 16), (64u, 0x5eedu, 16) }));
        Assert.That(ring.PendingBytes, Is.Zero);
        Assert.That(ring.WaitForData(0), Is.False);
    }

    [Test]
    public void The_ring_wraps_around_its_end_without_splitting_a_record()
    {
        // 200 records of 40 (+8 header) bytes through a 4 KiB ring, reading as we go: positions pass the end many times.
        using var map = EbpfMap.CreateRingBuffer(4096, "wc_test_wrap");
        var asm = new EbpfAssembler();
        var nothing = asm.DefineLabel();
        asm.Mov64(R6, R1)
           .LoadMap(R1, map).Mov64(R2, 40).Mov64(R3, 0).Call(EbpfHelper.RingbufReserve)
           .Jump(EbpfJumpOp.Equal, R0, 0, nothing)
           .Load(EbpfSize.Word, R2, R6, SkBuffField.Length)
           .Store(EbpfSize.Word, R0, 0, R2).Store(EbpfSize.Word, R0, 36, R2)
           .Mov64(R1, R0).Mov64(R2, 0).Call(EbpfHelper.RingbufSubmit)
           .Mark(nothing).Mov64(R0, 0).Exit();
        using var program = EbpfTestSupport.LoadClassifier(asm.Build());
        using var ring = EbpfRingBuffer.Open(map);
        for (int i = 0; i < 200; i++)
        {
            int length = 60 + i % 50;
            program.TestRun(EbpfTestSupport.UdpFrame(length));
            Assert.That(ring.TryRead(out var record), Is.True);
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record), Is.EqualTo((uint)length));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record[36..]), Is.EqualTo((uint)length));
            ring.Release();
        }
    }

    [Test]
    public void Ids_match_what_bpftool_lists()
    {
        Tool.Require("bpftool");
        var asm = new EbpfAssembler();
        asm.Mov64(R0, 0).Exit();
        using var program = EbpfTestSupport.LoadClassifier(asm.Build());
        var listing = Tool.RunOk("bpftool", $"prog show id {program.Id}");
        Assert.That(listing, Does.Contain("sched_cls").And.Contain("wirecap_test"));
    }

    [Test]
    public void A_ring_buffer_size_that_is_not_a_power_of_two_is_refused_before_the_kernel()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EbpfMap.CreateRingBuffer(4096 * 3));
    }

    [Test]
    public void Kernel_time_converts_to_wall_time()
    {
        var clock = KernelClock.Measure();
        var wall = clock.ToWallTime((ulong)KernelClock.MonotonicNow);
        Assert.That(wall, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromSeconds(2)));
    }
}
