using System.Globalization;
using System.Text;

namespace Wirecap.Bpf;

/// <summary>
/// Prints programs exactly as <c>tcpdump -d</c>, <c>-dd</c> and <c>-ddd</c> do (libpcap 1.10.3's
/// <c>bpf_image</c> and <c>bpf_dump</c>), including its quirks: <c>ldx len</c> (0x81) shows as
/// <c>unimp 0x81</c>, arithmetic constants and offsets print as signed decimals, <c>ja</c> and the
/// conditional jumps show absolute targets, and only <c>ld/ldh/ldb [k]</c> name ancillary loads.
/// </summary>
public static class BpfDisassembler
{
    /// <summary>The whole program in the given form, one line per instruction, each ending in '\n'.</summary>
    public static string Format(ReadOnlySpan<BpfInstruction> program, BpfTextFormat format = BpfTextFormat.Listing)
    {
        var text = new StringBuilder(program.Length * 40);
        if (format == BpfTextFormat.Decimal)
            text.Append(program.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        for (int i = 0; i < program.Length; i++)
        {
            BpfInstruction insn = program[i];
            switch (format)
            {
                case BpfTextFormat.Listing:
                    text.Append(FormatInstruction(insn, i));
                    break;
                case BpfTextFormat.CArray:
                    text.Append(CultureInfo.InvariantCulture, $"{{ 0x{insn.Code:x}, {insn.JumpTrue}, {insn.JumpFalse}, 0x{insn.K:x8} }},");
                    break;
                case BpfTextFormat.Decimal:
                    text.Append(CultureInfo.InvariantCulture, $"{insn.Code} {insn.JumpTrue} {insn.JumpFalse} {insn.K}");
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown BPF text format.");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>One instruction as <c>bpf_image</c> prints it at position <paramref name="index"/>, without a newline.</summary>
    public static string FormatInstruction(BpfInstruction insn, int index)
    {
        var (mnemonic, operand) = Describe(insn, index);
        bool conditional = (insn.Code & 0x07) == BpfOpcode.ClassJmp && (insn.Code & 0xf0) != BpfOpcode.OpJa;
        var line = new StringBuilder(48);
        line.Append('(').Append(index.ToString("000", CultureInfo.InvariantCulture)).Append(") ");
        line.Append(mnemonic.PadRight(8)).Append(' ');
        if (conditional)
        {
            line.Append(operand.PadRight(16));
            line.Append(CultureInfo.InvariantCulture, $" jt {index + 1 + insn.JumpTrue}\tjf {index + 1 + insn.JumpFalse}");
        }
        else
        {
            line.Append(operand);
        }
        return line.ToString();
    }

    private static (string Mnemonic, string Operand) Describe(BpfInstruction insn, int index)
    {
        uint k = insn.K;
        string signed = ((int)k).ToString(CultureInfo.InvariantCulture);
        string hex = "#0x" + k.ToString("x", CultureInfo.InvariantCulture);
        string signedImmediate = "#" + signed;
        return insn.Code switch
        {
            BpfOpcode.RetK => ("ret", signedImmediate),
            BpfOpcode.RetAcc => ("ret", ""),
            BpfOpcode.LdAbsW => ("ld", Absolute(k)),
            BpfOpcode.LdAbsH => ("ldh", Absolute(k)),
            BpfOpcode.LdAbsB => ("ldb", Absolute(k)),
            BpfOpcode.LdLen => ("ld", "#pktlen"),
            BpfOpcode.LdIndW => ("ld", $"[x + {signed}]"),
            BpfOpcode.LdIndH => ("ldh", $"[x + {signed}]"),
            BpfOpcode.LdIndB => ("ldb", $"[x + {signed}]"),
            BpfOpcode.LdImm => ("ld", hex),
            BpfOpcode.LdxImm => ("ldx", hex),
            BpfOpcode.LdxMsh => ("ldxb", $"4*([{signed}]&0xf)"),
            BpfOpcode.LdMem => ("ld", $"M[{signed}]"),
            BpfOpcode.LdxMem => ("ldx", $"M[{signed}]"),
            BpfOpcode.St => ("st", $"M[{signed}]"),
            BpfOpcode.Stx => ("stx", $"M[{signed}]"),
            BpfOpcode.Ja => ("ja", unchecked(index + 1 + (int)k).ToString(CultureInfo.InvariantCulture)),
            BpfOpcode.Tax => ("tax", ""),
            BpfOpcode.Txa => ("txa", ""),
            BpfOpcode.ClassAlu | BpfOpcode.OpNeg => ("neg", ""),
            _ when BpfMnemonics.Jump(insn.Code) is { } jump => (jump, (insn.Code & BpfOpcode.SrcX) != 0 ? "x" : hex),
            _ when BpfMnemonics.Alu(insn.Code) is { } alu => (alu, (insn.Code & BpfOpcode.SrcX) != 0 ? "x"
                : BpfMnemonics.AluPrintsHex(insn.Code) ? hex : signedImmediate),
            _ => ("unimp", "0x" + insn.Code.ToString("x", CultureInfo.InvariantCulture)),
        };
    }

    private static string Absolute(uint k) =>
        BpfAncillaryNames.NameOf(k) is { } name ? $"[{name}]" : $"[{((int)k).ToString(CultureInfo.InvariantCulture)}]";
}
