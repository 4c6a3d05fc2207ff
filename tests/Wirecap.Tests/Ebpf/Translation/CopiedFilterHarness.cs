using System.Buffers.Binary;
using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Translation;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Tests.Ebpf.Translation;

/// <summary>
/// Runs the copied-buffer translation (<see cref="CbpfTranslator.EmitCopied"/>) in the kernel the way a probe runs it:
/// a <c>SCHED_CLS</c> program reserves a ring-buffer record of <see cref="Capacity"/> bytes, copies the first
/// min(len, limit, capacity) bytes of the test run's frame into it with <c>bpf_skb_load_bytes</c>, runs the fragment
/// over the record with the frame's whole length as the wire length, discards the record and returns the fragment's
/// result. The copy limit comes in as the context's mark (0: no limit), so one loaded program tries many truncations.
/// </summary>
internal sealed class CopiedFilterHarness : IDisposable
{
    /// <summary>Returned when the ring had no room (never expected: every record is discarded before the next run).</summary>
    public const uint NoRecord = 0xdead_0001;

    private readonly EbpfMap _ring;
    private readonly EbpfRingBuffer _reader;
    private readonly EbpfProgram _program;

    public CopiedFilterHarness(BpfProgram program, int capacity)
    {
        Capacity = capacity;
        _ring = EbpfMap.CreateRingBuffer(4 * 4096, "wirecap_test_rb");
        try
        {
            _reader = EbpfRingBuffer.Open(_ring);
            Code = Build(program, capacity, _ring);
            _program = EbpfTestSupport.LoadClassifier(Code);
        }
        catch
        {
            _reader?.Dispose();
            _ring.Dispose();
            throw;
        }
    }

    public int Capacity { get; }

    /// <summary>The harness program, for failure messages.</summary>
    public EbpfCode Code { get; }

    /// <summary>The kernel's result for <paramref name="frame"/> copied up to <paramref name="limit"/> bytes (0: all that fit).</summary>
    public uint KernelResult(byte[] frame, int limit = 0)
    {
        var context = new byte[SkBuffField.ContextSize];
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(SkBuffField.Mark), (uint)limit);
        uint result = _program.TestRun(frame, context: context).ReturnValue;
        // A discarded record keeps its space until the reader steps over it.
        if (_reader.TryRead(out _)) throw new InvalidOperationException("the harness submitted a record; it only discards");
        return result;
    }

    /// <summary>What our interpreter says for the same copy: the program over the copied bytes, <c>len</c> the whole
    /// frame's length, the result clamped to that length.</summary>
    public uint ExpectedResult(BpfProgram program, byte[] frame, int limit = 0)
    {
        int copied = Math.Min(frame.Length, Math.Min(limit == 0 ? int.MaxValue : limit, Capacity));
        uint result = BpfInterpreter.Run(program, frame.AsSpan(0, copied), new BpfContext { WireLength = (uint)frame.Length });
        return Math.Min(result, (uint)frame.Length);
    }

    private static EbpfCode Build(BpfProgram filter, int capacity, EbpfMap ring)
    {
        var a = new EbpfAssembler();
        var noRecord = a.DefineLabel();
        var belowLength = a.DefineLabel();
        var belowCapacity = a.DefineLabel();
        var haveLimit = a.DefineLabel();
        var copied = a.DefineLabel();
        a.Mov64(R6, R1);
        a.LoadMap(R1, ring).Mov64(R2, capacity).Mov64(R3, 0).Call(EbpfHelper.RingbufReserve);
        a.Jump(EbpfJumpOp.Equal, R0, 0, noRecord);
        a.Mov64(R7, R0);
        // R8 = min(mark or capacity, len, capacity), in [1, capacity] for the verifier; R9 = len.
        a.Load(EbpfSize.Word, R9, R6, SkBuffField.Length);
        a.Load(EbpfSize.Word, R8, R6, SkBuffField.Mark);
        a.Jump(EbpfJumpOp.NotEqual, R8, 0, haveLimit).Mov64(R8, capacity).Mark(haveLimit);
        a.Jump(EbpfJumpOp.LessOrEqual, R8, R9, belowLength).Mov64(R8, R9).Mark(belowLength);
        a.Jump(EbpfJumpOp.LessOrEqual, R8, capacity, belowCapacity).Mov64(R8, capacity).Mark(belowCapacity);
        a.Jump(EbpfJumpOp.Equal, R8, 0, copied); // the test run never hands over an empty frame
        a.Mov64(R1, R6).Mov64(R2, 0).Mov64(R3, R7).Mov64(R4, R8).Call(EbpfHelper.SkbLoadBytes);
        a.Mark(copied);
        // M[] takes the default top 64 bytes of the stack: the harness keeps nothing there.
        CbpfTranslator.EmitCopied(a, filter, new CbpfCopiedPacket(R7, R8, R9, capacity));
        a.Mov64(R6, R0);
        a.Mov64(R1, R7).Mov64(R2, 0).Call(EbpfHelper.RingbufDiscard);
        a.Mov64(R0, R6).Exit();
        a.Mark(noRecord);
        a.Mov32(R0, unchecked((int)NoRecord)).Exit();
        return a.Build();
    }

    public void Dispose()
    {
        _program.Dispose();
        _reader.Dispose();
        _ring.Dispose();
    }
}
