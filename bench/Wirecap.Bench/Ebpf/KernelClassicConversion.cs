using Wirecap.Bpf;
using Wirecap.Ebpf;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Bench.Ebpf;

/// <summary>
/// A classic program the way the kernel runs a classic socket filter, for timing it with <c>BPF_PROG_TEST_RUN</c>
/// (a classic filter has no program descriptor to test-run). The kernel converts it to eBPF with
/// <c>bpf_convert_filter</c>: one short eBPF sequence per classic instruction, A in R0, X in R7, the context in R6,
/// no guard merging; an absolute load is <c>convert_bpf_ld_abs</c>'s inline fast path (is offset + size within the
/// linear data? then load and byte-swap) with a helper call as the slow path; an indirect load always calls the helper.
/// This builds the same shape as a verifiable <c>SCHED_CLS</c> program: the fast path compares against
/// <c>data_end</c> (the kernel compares against the head length: the same test on a linear packet) and the helper
/// call is the legacy <c>LD_ABS</c>/<c>LD_IND</c> instruction, which the verifier turns into the same
/// <c>bpf_skb_load_helper_*</c> call. It returns the classic return value unclamped, as a socket filter does.
/// Only what the benchmark filters use: no ancillary loads.
/// </summary>
internal static class KernelClassicConversion
{
    private const EbpfRegister A = R0, X = R7, Context = R6, Data = R8, DataEnd = R9, Tmp = R1;

    public static EbpfCode Convert(BpfProgram program)
    {
        var code = program.Instructions.ToArray();
        var asm = new EbpfAssembler();
        var labels = code.Select(_ => asm.DefineLabel()).ToArray();
        asm.Mov64(Context, R1)
           .Mov32(A, 0) // the kernel's xor of A and X with themselves, which the verifier calls a read
           .Mov32(X, 0)
           .Load(EbpfSize.Word, Data, Context, SkBuffField.Data)
           .Load(EbpfSize.Word, DataEnd, Context, SkBuffField.DataEnd);
        for (int pc = 0; pc < code.Length; pc++)
        {
            asm.Mark(labels[pc]);
            Emit(asm, code[pc], pc, labels);
        }
        return asm.Build();
    }

    private static void Emit(EbpfAssembler asm, BpfInstruction insn, int pc, EbpfLabel[] labels)
    {
        uint k = insn.K;
        int imm = unchecked((int)k);
        switch (insn.Class)
        {
            case BpfOpcode.ClassLd:
                switch (insn.Mode)
                {
                    case BpfOpcode.ModeAbs: LoadAbsolute(asm, SizeOf(insn), imm); break;
                    case BpfOpcode.ModeInd: asm.Emit(new EbpfInstruction((byte)(0x40 | (byte)SizeOf(insn)), 0, X, 0, imm)); break;
                    case BpfOpcode.ModeLen: asm.Load(EbpfSize.Word, A, Context, SkBuffField.Length); break;
                    case BpfOpcode.ModeImm: asm.Mov32(A, imm); break;
                    case BpfOpcode.ModeMem: asm.Load(EbpfSize.Word, A, R10, Slot(k)); break;
                    default: throw Unsupported(insn, pc);
                }
                break;
            case BpfOpcode.ClassLdx:
                switch (insn.Mode)
                {
                    case BpfOpcode.ModeImm: asm.Mov32(X, imm); break;
                    case BpfOpcode.ModeMem: asm.Load(EbpfSize.Word, X, R10, Slot(k)); break;
                    case BpfOpcode.ModeLen: asm.Load(EbpfSize.Word, X, Context, SkBuffField.Length); break;
                    case BpfOpcode.ModeMsh: // the kernel's sequence: X keeps A across the load
                        asm.Mov64(X, A);
                        LoadAbsolute(asm, EbpfSize.Byte, imm);
                        asm.Alu32(EbpfAluOp.And, A, 0xf).Alu32(EbpfAluOp.Lsh, A, 2)
                           .Mov64(R2, X).Mov64(X, A).Mov64(A, R2);
                        break;
                    default: throw Unsupported(insn, pc);
                }
                break;
            case BpfOpcode.ClassSt: asm.Store(EbpfSize.Word, R10, Slot(k), A); break;
            case BpfOpcode.ClassStx: asm.Store(EbpfSize.Word, R10, Slot(k), X); break;
            case BpfOpcode.ClassAlu:
            {
                var op = (EbpfAluOp)insn.Operation;
                if (op == EbpfAluOp.Neg) asm.Alu32(EbpfAluOp.Neg, A, 0);
                else if (insn.Source == BpfOpcode.SrcX)
                {
                    if (op is EbpfAluOp.Div or EbpfAluOp.Mod)
                    {
                        var nonZero = asm.DefineLabel();
                        asm.Jump32(EbpfJumpOp.NotEqual, X, 0, nonZero).Mov32(A, 0).Exit().Mark(nonZero);
                    }
                    asm.Alu32(op, A, X);
                }
                else asm.Alu32(op, A, imm);
                break;
            }
            case BpfOpcode.ClassJmp:
            {
                if (insn.Operation == BpfOpcode.OpJa)
                {
                    asm.Jump(labels[pc + 1 + imm]);
                    break;
                }
                var op = insn.Operation switch
                {
                    BpfOpcode.OpJeq => EbpfJumpOp.Equal,
                    BpfOpcode.OpJgt => EbpfJumpOp.Greater,
                    BpfOpcode.OpJge => EbpfJumpOp.GreaterOrEqual,
                    _ => EbpfJumpOp.AnyBitSet,
                };
                // As bpf_convert_filter: the inverted test when only the false branch jumps, a second jump when both do.
                int whenTrue = insn.JumpTrue, whenFalse = insn.JumpFalse;
                if (whenTrue == whenFalse)
                {
                    if (whenTrue != 0) asm.Jump(labels[pc + 1 + whenTrue]);
                    break;
                }
                if (whenTrue == 0 && op != EbpfJumpOp.AnyBitSet)
                {
                    op = op switch { EbpfJumpOp.Equal => EbpfJumpOp.NotEqual, EbpfJumpOp.Greater => EbpfJumpOp.LessOrEqual, _ => EbpfJumpOp.Less };
                    (whenTrue, whenFalse) = (whenFalse, whenTrue);
                }
                if (insn.Source == BpfOpcode.SrcX) asm.Jump32(op, A, X, labels[pc + 1 + whenTrue]);
                else asm.Jump32(op, A, imm, labels[pc + 1 + whenTrue]);
                if (whenFalse != 0) asm.Jump(labels[pc + 1 + whenFalse]);
                break;
            }
            case BpfOpcode.ClassRet:
                if (insn.Code == (BpfOpcode.ClassRet | BpfOpcode.RetA)) asm.Exit();
                else asm.Mov32(A, imm).Exit();
                break;
            case BpfOpcode.ClassMisc:
                if ((insn.Code & 0xf8) == BpfOpcode.MiscTax) asm.Mov32(X, A);
                else asm.Mov32(A, X);
                break;
            default: throw Unsupported(insn, pc);
        }
    }

    /// <summary><c>convert_bpf_ld_abs</c>: inline when the bytes are in the linear data, else the helper (the legacy
    /// <c>LD_ABS</c>, which rejects the packet, returning 0, when they are not in the packet at all).</summary>
    private static void LoadAbsolute(EbpfAssembler asm, EbpfSize size, int offset)
    {
        if (offset < 0 || offset > short.MaxValue) throw new NotSupportedException($"ld [{offset}]: only packet offsets 0…32767");
        int bytes = size switch { EbpfSize.Byte => 1, EbpfSize.Half => 2, _ => 4 };
        var slow = asm.DefineLabel();
        var done = asm.DefineLabel();
        asm.Mov64(Tmp, Data).Alu64(EbpfAluOp.Add, Tmp, offset + bytes).Jump(EbpfJumpOp.Greater, Tmp, DataEnd, slow)
           .Load(size, A, Data, (short)offset);
        if (bytes > 1) asm.ToBigEndian(A, bytes * 8);
        asm.Jump(done).Mark(slow)
           .Emit(new EbpfInstruction((byte)(0x20 | (byte)size), 0, 0, 0, offset))
           .Mark(done);
    }

    private static EbpfSize SizeOf(BpfInstruction insn) => insn.Size switch
    {
        BpfOpcode.SizeB => EbpfSize.Byte,
        BpfOpcode.SizeH => EbpfSize.Half,
        _ => EbpfSize.Word,
    };

    private static short Slot(uint k) => (short)(-64 + 4 * (int)k);

    private static NotSupportedException Unsupported(BpfInstruction insn, int pc) =>
        new($"instruction {pc} (code 0x{insn.Code:x2}) is not in this benchmark's conversion");
}
