namespace Wirecap.Bpf;

/// <summary>
/// The checkers that decide whether a classic BPF program may run: the kernel's
/// (<c>bpf_check_basics_ok</c>, <c>bpf_check_classic</c>, <c>check_load_and_stores</c>, in that order)
/// and libpcap 1.10.3's <c>bpf_validate</c>.
/// </summary>
public static class BpfValidator
{
    /// <summary>The kernel's <c>BPF_MAXINSNS</c>.</summary>
    public const int KernelMaxInstructions = 4096;

    private const int ScratchSlots = 16;

    /// <summary>Throws <see cref="BpfValidationException"/> unless the dialect's checker accepts the program.</summary>
    public static void Validate(ReadOnlySpan<BpfInstruction> program, BpfDialect dialect)
    {
        if (TryValidate(program, dialect) is { } error)
            throw error;
    }

    /// <summary>The first rule the program breaks for the dialect's checker, or null when it is accepted.</summary>
    public static BpfValidationException? TryValidate(ReadOnlySpan<BpfInstruction> program, BpfDialect dialect) =>
        dialect switch
        {
            BpfDialect.Kernel => CheckKernel(program),
            BpfDialect.Libpcap => BpfLibpcapValidator.Check(program),
            _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Unknown BPF dialect."),
        };

    /// <summary>
    /// The kernel's extra attach-time limit beyond the classic checker (opt-in): after expansion to
    /// eBPF every jump offset must fit 16 signed bits. See <see cref="BpfKernelConversion"/>.
    /// </summary>
    public static BpfValidationException? CheckKernelJumpOffsets(ReadOnlySpan<BpfInstruction> program) =>
        BpfKernelConversion.CheckJumpOffsets(program);

    private static BpfValidationException? CheckKernel(ReadOnlySpan<BpfInstruction> program)
    {
        if (program.Length == 0 || program.Length > KernelMaxInstructions)
            return new(-1, BpfValidationRule.ProgramLength,
                $"a kernel program has 1 to {KernelMaxInstructions} instructions, this one has {program.Length}");

        int length = program.Length;
        for (int pc = 0; pc < length; pc++)
        {
            BpfInstruction insn = program[pc];
            if (!BpfOpcodeTable.IsKernelOpcode(insn.Code))
                return new(pc, BpfValidationRule.UnknownOpcode, $"opcode 0x{insn.Code:x2} is not one the kernel accepts");
            switch (insn.Code)
            {
                case BpfOpcode.ClassAlu | BpfOpcode.OpDiv | BpfOpcode.SrcK:
                case BpfOpcode.ClassAlu | BpfOpcode.OpMod | BpfOpcode.SrcK:
                    if (insn.K == 0)
                        return new(pc, BpfValidationRule.DivisionByZero, "division or modulo by the constant 0");
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpLsh | BpfOpcode.SrcK:
                case BpfOpcode.ClassAlu | BpfOpcode.OpRsh | BpfOpcode.SrcK:
                    if (insn.K >= 32)
                        return new(pc, BpfValidationRule.ShiftOutOfRange, $"constant shift by {insn.K} (must be below 32)");
                    break;
                case BpfOpcode.LdMem:
                case BpfOpcode.LdxMem:
                case BpfOpcode.St:
                case BpfOpcode.Stx:
                    if (insn.K >= ScratchSlots)
                        return new(pc, BpfValidationRule.ScratchIndexOutOfRange, $"scratch slot M[{insn.K}] (there are {ScratchSlots})");
                    break;
                case BpfOpcode.Ja:
                    if (insn.K >= (uint)(length - pc - 1))
                        return new(pc, BpfValidationRule.JumpOutOfRange, $"ja {insn.K} leaves the program");
                    break;
                case BpfOpcode.LdAbsW:
                case BpfOpcode.LdAbsH:
                case BpfOpcode.LdAbsB:
                    if (insn.K >= BpfAncillary.Base && !BpfRuntime.IsKnownAncillary(insn.K))
                        return new(pc, BpfValidationRule.UnknownAncillary,
                            $"k=0x{insn.K:x8} is in the ancillary range but names no known extension");
                    break;
                default:
                    if (BpfOpcodeTable.IsConditionalJump(insn.Code)
                        && (pc + insn.JumpTrue + 1 >= length || pc + insn.JumpFalse + 1 >= length))
                        return new(pc, BpfValidationRule.JumpOutOfRange, $"jt {insn.JumpTrue} or jf {insn.JumpFalse} leaves the program");
                    break;
            }
        }

        ushort last = program[length - 1].Code;
        if (last != BpfOpcode.RetK && last != BpfOpcode.RetAcc)
            return new(length - 1, BpfValidationRule.MissingReturn, "the last instruction must be ret #k or ret a");

        return CheckLoadsAfterStores(program);
    }

    /// <summary>
    /// <c>check_load_and_stores</c>: one forward pass tracking which slots are written on every path.
    /// A jump narrows its targets' sets and resets the running set to "all", so code reached only by
    /// falling through after a jump (dead code) is never rejected; code after a <c>ret</c> keeps the
    /// set from before it.
    /// </summary>
    private static BpfValidationException? CheckLoadsAfterStores(ReadOnlySpan<BpfInstruction> program)
    {
        Span<ushort> masks = program.Length <= 1024 ? stackalloc ushort[program.Length] : new ushort[program.Length];
        masks.Fill(0xffff);
        ushort valid = 0;
        for (int pc = 0; pc < program.Length; pc++)
        {
            BpfInstruction insn = program[pc];
            valid &= masks[pc];
            switch (insn.Code)
            {
                case BpfOpcode.St:
                case BpfOpcode.Stx:
                    valid |= (ushort)(1 << (int)insn.K);
                    break;
                case BpfOpcode.LdMem:
                case BpfOpcode.LdxMem:
                    if ((valid & (1 << (int)insn.K)) == 0)
                        return new(pc, BpfValidationRule.ScratchReadBeforeWrite,
                            $"M[{insn.K}] is read before it is written on some path");
                    break;
                case BpfOpcode.Ja:
                    masks[pc + 1 + (int)insn.K] &= valid;
                    valid = 0xffff;
                    break;
                default:
                    if (BpfOpcodeTable.IsConditionalJump(insn.Code))
                    {
                        masks[pc + 1 + insn.JumpTrue] &= valid;
                        masks[pc + 1 + insn.JumpFalse] &= valid;
                        valid = 0xffff;
                    }
                    break;
            }
        }
        return null;
    }
}
