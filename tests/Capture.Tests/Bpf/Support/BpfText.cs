using Capture.Bpf;

namespace Capture.Tests.Bpf.Support;

/// <summary>Programs and packets as text for failure messages and for the native oracles' line protocols.</summary>
public static class BpfText
{
    /// <summary>"N code jt jf k ..." (the oracles' program line, without the command letter).</summary>
    public static string Numbers(ReadOnlySpan<BpfInstruction> program)
    {
        var text = new System.Text.StringBuilder().Append(program.Length);
        foreach (var insn in program) text.Append($" {insn.Code} {insn.JumpTrue} {insn.JumpFalse} {insn.K}");
        return text.ToString();
    }

    /// <summary>One instruction per line, in tcpdump -ddd order with the opcode also in hex.</summary>
    public static string Listing(ReadOnlySpan<BpfInstruction> program)
    {
        var text = new System.Text.StringBuilder();
        for (int pc = 0; pc < program.Length; pc++)
            text.AppendLine($"  {pc,4}: code 0x{program[pc].Code:x2} jt {program[pc].JumpTrue} jf {program[pc].JumpFalse} k 0x{program[pc].K:x8}");
        return text.ToString();
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => bytes.Length == 0 ? "-" : Convert.ToHexString(bytes);

    /// <summary>Reads a program in tcpdump's -ddd form (a count line, then "code jt jf k" per line).</summary>
    public static BpfInstruction[] ParseDecimal(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int count = int.Parse(lines[0]);
        var program = new BpfInstruction[count];
        for (int i = 0; i < count; i++)
        {
            var f = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            program[i] = new BpfInstruction(ushort.Parse(f[0]), byte.Parse(f[1]), byte.Parse(f[2]), uint.Parse(f[3]));
        }
        return program;
    }
}
