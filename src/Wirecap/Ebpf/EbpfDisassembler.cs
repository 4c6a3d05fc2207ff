using System.Globalization;
using System.Text;

namespace Wirecap.Ebpf;

/// <summary>
/// Prints eBPF instructions the way the kernel's verifier log does (<c>kernel/bpf/disasm.c</c>), e.g.
/// <c>3: (61) r2 = *(u32 *)(r6 +76)</c>, <c>7: (2d) if r3 > r8 goto pc+12</c>, <c>9: (85) call bpf_ringbuf_reserve#131</c>,
/// so a program and the verifier's complaint about it can be read side by side. A map reference
/// (<c>ld_imm64</c> with <c>BPF_PSEUDO_MAP_FD</c>) prints as <c>r1 = map[fd:4]</c>, the descriptor it holds
/// before the verifier replaces it with the map's address.
/// </summary>
public static class EbpfDisassembler
{
    private static readonly string[] AluOperators =
        ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian", "?", "?"];

    private static readonly string[] JumpOperators =
        ["goto", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<=", "?", "?"];

    /// <summary>The whole program, one line per instruction (<c>index: (opcode) text</c>), each ending in '\n'.
    /// The second slot of a 64-bit immediate load is skipped, as the kernel does.</summary>
    public static string Format(ReadOnlySpan<EbpfInstruction> program)
    {
        var text = new StringBuilder(program.Length * 32);
        for (int i = 0; i < program.Length; i++)
        {
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(": ");
            text.Append(FormatInstruction(program, i)).Append('\n');
            if (program[i].IsWideLoad) i++;
        }
        return text.ToString();
    }

    /// <summary>The instruction at <paramref name="index"/> as <c>(opcode) text</c> (a wide load reads its second slot too).</summary>
    public static string FormatInstruction(ReadOnlySpan<EbpfInstruction> program, int index)
    {
        var insn = program[index];
        var body = Describe(insn, index + 1 < program.Length ? program[index + 1] : default);
        return $"({insn.Opcode:x2}) {body}";
    }

    private static string Describe(EbpfInstruction insn, EbpfInstruction next)
    {
        var ic = CultureInfo.InvariantCulture;
        int dst = (int)insn.Destination, src = (int)insn.Source;
        byte opcode = insn.Opcode;
        switch (insn.Class)
        {
            case EbpfOpcode.ClassAlu:
            case EbpfOpcode.ClassAlu64:
            {
                char w = insn.Class == EbpfOpcode.ClassAlu64 ? 'r' : 'w';
                int op = opcode & 0xf0;
                bool fromRegister = (opcode & EbpfOpcode.SourceX) != 0;
                if (op == (int)EbpfAluOp.End)
                    return insn.Class == EbpfOpcode.ClassAlu64
                        ? string.Create(ic, $"r{dst} = bswap{insn.Immediate} r{dst}")
                        : string.Create(ic, $"r{dst} = {(fromRegister ? "be" : "le")}{insn.Immediate} r{dst}");
                if (op == (int)EbpfAluOp.Neg) return string.Create(ic, $"{w}{dst} = -{w}{dst}");
                string oper = AluOperators[op >> 4];
                return fromRegister
                    ? string.Create(ic, $"{w}{dst} {oper} {w}{src}")
                    : string.Create(ic, $"{w}{dst} {oper} {insn.Immediate}");
            }
            case EbpfOpcode.ClassStx when (opcode & 0xe0) == EbpfOpcode.ModeMem:
                return string.Create(ic, $"*({SizeName(opcode)} *)(r{dst} {insn.Offset:+0;-0}) = r{src}");
            case EbpfOpcode.ClassSt when (opcode & 0xe0) == EbpfOpcode.ModeMem:
                return string.Create(ic, $"*({SizeName(opcode)} *)(r{dst} {insn.Offset:+0;-0}) = {insn.Immediate}");
            case EbpfOpcode.ClassLdx when (opcode & 0xe0) == EbpfOpcode.ModeMem:
                return string.Create(ic, $"r{dst} = *({SizeName(opcode)} *)(r{src} {insn.Offset:+0;-0})");
            case EbpfOpcode.ClassLd when insn.IsWideLoad:
                if (src == EbpfOpcode.PseudoMapFd) return string.Create(ic, $"r{dst} = map[fd:{insn.Immediate}]");
                if (src == EbpfOpcode.PseudoMapValue) return string.Create(ic, $"r{dst} = map[fd:{insn.Immediate}][{next.Immediate}]");
                ulong wide = (uint)insn.Immediate | ((ulong)(uint)next.Immediate << 32);
                return string.Create(ic, $"r{dst} = 0x{wide:x}");
            case EbpfOpcode.ClassJmp:
            case EbpfOpcode.ClassJmp32:
            {
                int op = opcode & 0xf0;
                if (insn.Class == EbpfOpcode.ClassJmp && op == (int)EbpfJumpOp.Call)
                    return src == EbpfOpcode.PseudoCall
                        ? string.Create(ic, $"call pc{insn.Immediate:+0;-0}")
                        : string.Create(ic, $"call {EbpfHelperNames.NameOf(insn.Immediate) ?? "unknown"}#{insn.Immediate}");
                if (insn.Class == EbpfOpcode.ClassJmp && op == (int)EbpfJumpOp.Exit) return "exit";
                if (op == (int)EbpfJumpOp.Always)
                    return insn.Class == EbpfOpcode.ClassJmp
                        ? string.Create(ic, $"goto pc{insn.Offset:+0;-0}")
                        : string.Create(ic, $"gotol pc{insn.Immediate:+0;-0}");
                char w = insn.Class == EbpfOpcode.ClassJmp ? 'r' : 'w';
                string oper = JumpOperators[op >> 4];
                return (opcode & EbpfOpcode.SourceX) != 0
                    ? string.Create(ic, $"if {w}{dst} {oper} {w}{src} goto pc{insn.Offset:+0;-0}")
                    : string.Create(ic, $"if {w}{dst} {oper} 0x{(uint)insn.Immediate:x} goto pc{insn.Offset:+0;-0}");
            }
        }
        return string.Create(ic, $"BUG_{opcode:x2}");
    }

    private static string SizeName(byte opcode) => (opcode & 0x18) switch
    {
        EbpfOpcode.SizeW => "u32",
        EbpfOpcode.SizeH => "u16",
        EbpfOpcode.SizeB => "u8",
        _ => "u64",
    };
}
