using System.Globalization;
using System.Text.RegularExpressions;

namespace Wirecap.Bpf;

/// <summary>One line of a <c>tcpdump -d</c> listing read back into an instruction (the inverse of <c>bpf_image</c>).</summary>
internal static partial class BpfListingLine
{
    public static BpfInstruction Parse(int lineNumber, string line, int index)
    {
        Match match = Shape().Match(line);
        if (!match.Success)
            throw new BpfAssemblyException(lineNumber, $"expected '(NNN) mnemonic operand', found '{line}'");
        if (int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture) != index)
            throw new BpfAssemblyException(lineNumber, $"instruction ({match.Groups["index"].Value}) is at position {index}");
        string mnemonic = match.Groups["op"].Value;
        string operand = match.Groups["operand"].Value.Trim();
        bool hasTargets = match.Groups["jt"].Success;
        byte jt = 0, jf = 0;
        if (hasTargets)
        {
            jt = Offset(lineNumber, match.Groups["jt"].Value, index, "jt");
            jf = Offset(lineNumber, match.Groups["jf"].Value, index, "jf");
        }

        var (code, k) = Decode(lineNumber, mnemonic, operand, index);
        bool conditional = (code & 0x07) == BpfOpcode.ClassJmp && (code & 0xf0) != BpfOpcode.OpJa;
        if (conditional != hasTargets)
            throw new BpfAssemblyException(lineNumber, conditional
                ? $"'{mnemonic}' needs 'jt N  jf M' targets"
                : $"'{mnemonic}' takes no jt/jf targets");
        return new BpfInstruction(code, jt, jf, k);
    }

    private static byte Offset(int lineNumber, string target, int index, string what)
    {
        long offset = long.Parse(target, CultureInfo.InvariantCulture) - index - 1;
        if (offset is < 0 or > byte.MaxValue)
            throw new BpfAssemblyException(lineNumber, $"{what} target {target} is not 1 to 256 instructions ahead of ({index:000})");
        return (byte)offset;
    }

    private static (ushort Code, uint K) Decode(int line, string mnemonic, string operand, int index)
    {
        switch (mnemonic)
        {
            case "ret":
                return operand is "" or "a" or "A" ? (BpfOpcode.RetAcc, 0) : (BpfOpcode.RetK, Immediate(line, operand));
            case "ld" or "ldh" or "ldb":
                return Load(line, mnemonic, operand);
            case "ldx":
                if (operand is "#pktlen" or "len" or "#len")
                    return (BpfOpcode.LdxLen, 0);
                if (Memory(operand) is { } slot)
                    return (BpfOpcode.LdxMem, Number(line, slot));
                return (BpfOpcode.LdxImm, Immediate(line, operand));
            case "ldxb":
            {
                Match msh = Msh().Match(operand);
                if (!msh.Success)
                    throw Bad(line, mnemonic, operand, "4*([k]&0xf)");
                return (BpfOpcode.LdxMsh, Number(line, msh.Groups[1].Value));
            }
            case "st" or "stx":
                if (Memory(operand) is not { } stored)
                    throw Bad(line, mnemonic, operand, "M[k]");
                return (mnemonic == "st" ? BpfOpcode.St : BpfOpcode.Stx, Number(line, stored));
            case "ja":
                return (BpfOpcode.Ja, unchecked(Number(line, operand) - (uint)index - 1));
            case "neg":
                return (BpfOpcode.ClassAlu | BpfOpcode.OpNeg, 0);
            case "tax":
                return (BpfOpcode.Tax, 0);
            case "txa":
                return (BpfOpcode.Txa, 0);
            case "unimp":
            {
                uint code = Number(line, operand);
                if (code > ushort.MaxValue)
                    throw new BpfAssemblyException(line, $"opcode {operand} does not fit 16 bits");
                return ((ushort)code, 0);
            }
        }
        int operation = BpfMnemonics.AluOperation(mnemonic);
        int @class = BpfOpcode.ClassAlu;
        if (operation < 0)
        {
            operation = BpfMnemonics.JumpOperation(mnemonic);
            @class = BpfOpcode.ClassJmp;
        }
        if (operation < 0)
            throw new BpfAssemblyException(line, $"unknown mnemonic '{mnemonic}'");
        if (operand == "x")
            return ((ushort)(@class | operation | BpfOpcode.SrcX), 0);
        return ((ushort)(@class | operation | BpfOpcode.SrcK), Immediate(line, operand));
    }

    private static (ushort Code, uint K) Load(int line, string mnemonic, string operand)
    {
        int size = mnemonic switch { "ldh" => BpfOpcode.SizeH, "ldb" => BpfOpcode.SizeB, _ => BpfOpcode.SizeW };
        if (mnemonic == "ld")
        {
            if (operand is "#pktlen" or "len" or "#len")
                return (BpfOpcode.LdLen, 0);
            if (operand.StartsWith('#'))
                return (BpfOpcode.LdImm, Immediate(line, operand));
            if (Memory(operand) is { } slot)
                return (BpfOpcode.LdMem, Number(line, slot));
        }
        Match indirect = Indirect().Match(operand);
        if (indirect.Success)
            return ((ushort)(BpfOpcode.ClassLd | size | BpfOpcode.ModeInd), Number(line, indirect.Groups[1].Value));
        if (operand.Length > 2 && operand[0] == '[' && operand[^1] == ']')
        {
            string inside = operand[1..^1].Trim();
            uint k = BpfAncillaryNames.KOf(inside) ?? Number(line, inside);
            return ((ushort)(BpfOpcode.ClassLd | size | BpfOpcode.ModeAbs), k);
        }
        throw Bad(line, mnemonic, operand, mnemonic == "ld" ? "#k, #pktlen, M[k], [k] or [x + k]" : "[k] or [x + k]");
    }

    private static string? Memory(string operand) =>
        operand.StartsWith("M[", StringComparison.Ordinal) && operand.EndsWith(']') ? operand[2..^1] : null;

    private static uint Immediate(int line, string operand)
    {
        if (!operand.StartsWith('#'))
            throw new BpfAssemblyException(line, $"expected an immediate '#k', found '{operand}'");
        return Number(line, operand[1..]);
    }

    private static uint Number(int line, string text) => BpfAssembler.Number(line, text, "operand");

    private static BpfAssemblyException Bad(int line, string mnemonic, string operand, string expected) =>
        new(line, $"'{mnemonic} {operand}': expected {expected}");

    [GeneratedRegex(@"^\((?<index>\d+)\)\s+(?<op>[a-z_]+)\s*(?<operand>.*?)(\s+jt\s+(?<jt>\d+)\s+jf\s+(?<jf>\d+))?\s*$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"^\[\s*x\s*\+\s*(-?[0-9a-fA-Fx]+)\s*\]$")]
    private static partial Regex Indirect();

    [GeneratedRegex(@"^4\s*\*\s*\(\s*\[\s*(-?[0-9a-fA-Fx]+)\s*\]\s*&\s*0xf\s*\)$")]
    private static partial Regex Msh();
}
