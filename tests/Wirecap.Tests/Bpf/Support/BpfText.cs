using Wirecap.Bpf;

namespace Wirecap.Tests.Bpf.Support;

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

    /// <summary>The program as tcpdump -d prints it, plus the -ddd numbers (a listing cannot show every field).</summary>
    public static string Listing(ReadOnlySpan<BpfInstruction> program) =>
        BpfDisassembler.Format(program, BpfTextFormat.Listing) + BpfDisassembler.Format(program, BpfTextFormat.Decimal);

    public static string Hex(ReadOnlySpan<byte> bytes) => bytes.Length == 0 ? "-" : Convert.ToHexString(bytes);
}
