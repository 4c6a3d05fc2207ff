namespace Wirecap.Bpf;

/// <summary>The checker rule a rejected program broke (see <see cref="BpfValidationException"/>).</summary>
public enum BpfValidationRule
{
    /// <summary>The program is empty or longer than the dialect allows (kernel: 4096 instructions).</summary>
    ProgramLength,
    /// <summary>The opcode is not one the dialect accepts.</summary>
    UnknownOpcode,
    /// <summary><c>div #0</c> or <c>mod #0</c>.</summary>
    DivisionByZero,
    /// <summary><c>lsh #k</c> or <c>rsh #k</c> with k &gt;= 32 (kernel only).</summary>
    ShiftOutOfRange,
    /// <summary>A scratch memory index <c>M[k]</c> with k &gt;= 16.</summary>
    ScratchIndexOutOfRange,
    /// <summary>A jump whose target lies outside the program (or, in the kernel, behind the jump).</summary>
    JumpOutOfRange,
    /// <summary>An <c>ld [k]</c> with k in the ancillary range (&gt;= 0xfffff000) that names no known extension.</summary>
    UnknownAncillary,
    /// <summary>The last instruction is not a return (kernel: <c>ret #k</c> or <c>ret a</c>).</summary>
    MissingReturn,
    /// <summary>A scratch slot is read on some path before any store to it (kernel <c>check_load_and_stores</c>).</summary>
    ScratchReadBeforeWrite,
    /// <summary>
    /// After the kernel's expansion to eBPF a jump offset no longer fits 16 signed bits
    /// (opt-in check, <see cref="BpfValidator.CheckKernelJumpOffsets"/>).
    /// </summary>
    ConvertedJumpTooFar,
}
