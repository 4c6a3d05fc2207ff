namespace Wirecap.Bpf;

/// <summary>
/// libpcap 1.10.3's <c>bpf_validate</c> (Debian 12): it checks classes, modes and operations but not
/// exact opcodes, so e.g. 0x08 (<c>ld</c> with size H and mode IMM) or 0x0e pass and the interpreter
/// later treats them as unknown (our <see cref="BpfInterpreter"/> returns 0 for them; libpcap aborts).
/// Rules: at least one instruction, no upper limit; loads and stores of scratch memory need k &lt; 16;
/// <c>div #0</c>/<c>mod #0</c> rejected; ALU operations above <c>xor</c> and jump operations above
/// <c>jset</c> rejected; load modes 0xc0/0xe0 rejected; <c>ja</c> targets anywhere inside the program
/// (backward included, the offset added as an unsigned 32-bit value); conditional targets inside the
/// program; the last instruction of class RET. Bits above the low byte of the opcode are ignored.
/// </summary>
internal static class BpfLibpcapValidator
{
    public static BpfValidationException? Check(ReadOnlySpan<BpfInstruction> program)
    {
        if (program.Length == 0)
            return new(-1, BpfValidationRule.ProgramLength, "a program needs at least one instruction");

        uint length = (uint)program.Length;
        for (int i = 0; i < program.Length; i++)
        {
            BpfInstruction insn = program[i];
            int code = insn.Code;
            switch (code & 0x07)
            {
                case BpfOpcode.ClassLd:
                case BpfOpcode.ClassLdx:
                    switch (code & 0xe0)
                    {
                        case BpfOpcode.ModeImm or BpfOpcode.ModeAbs or BpfOpcode.ModeInd or BpfOpcode.ModeLen or BpfOpcode.ModeMsh:
                            break;
                        case BpfOpcode.ModeMem:
                            if (insn.K >= 16)
                                return new(i, BpfValidationRule.ScratchIndexOutOfRange, $"scratch slot M[{insn.K}] (there are 16)");
                            break;
                        default:
                            return new(i, BpfValidationRule.UnknownOpcode, $"opcode 0x{code:x2} has an unknown load mode");
                    }
                    break;
                case BpfOpcode.ClassSt:
                case BpfOpcode.ClassStx:
                    if (insn.K >= 16)
                        return new(i, BpfValidationRule.ScratchIndexOutOfRange, $"scratch slot M[{insn.K}] (there are 16)");
                    break;
                case BpfOpcode.ClassAlu:
                {
                    int op = code & 0xf0;
                    if (op > BpfOpcode.OpXor)
                        return new(i, BpfValidationRule.UnknownOpcode, $"opcode 0x{code:x2} has an unknown ALU operation");
                    if ((op == BpfOpcode.OpDiv || op == BpfOpcode.OpMod) && (code & BpfOpcode.SrcX) == 0 && insn.K == 0)
                        return new(i, BpfValidationRule.DivisionByZero, "division or modulo by the constant 0");
                    break;
                }
                case BpfOpcode.ClassJmp:
                {
                    uint from = (uint)i + 1;
                    switch (code & 0xf0)
                    {
                        case BpfOpcode.OpJa:
                            if (unchecked(from + insn.K) >= length)
                                return new(i, BpfValidationRule.JumpOutOfRange, $"ja target {unchecked((int)(from + insn.K))} lies outside the program");
                            break;
                        case BpfOpcode.OpJeq or BpfOpcode.OpJgt or BpfOpcode.OpJge or BpfOpcode.OpJset:
                            if (from + insn.JumpTrue >= length || from + insn.JumpFalse >= length)
                                return new(i, BpfValidationRule.JumpOutOfRange, $"jt {insn.JumpTrue} or jf {insn.JumpFalse} leaves the program");
                            break;
                        default:
                            return new(i, BpfValidationRule.UnknownOpcode, $"opcode 0x{code:x2} has an unknown jump operation");
                    }
                    break;
                }
            }
        }

        if ((program[^1].Code & 0x07) != BpfOpcode.ClassRet)
            return new(program.Length - 1, BpfValidationRule.MissingReturn, "the last instruction must be a return");
        return null;
    }
}
