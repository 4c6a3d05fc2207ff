namespace Wirecap.Ebpf;

/// <summary>An assembled program: its instructions (labels resolved) and the maps its <c>ld_imm64</c> instructions
/// refer to by descriptor, which must stay open until the program is loaded (the loaded program then holds them).</summary>
public sealed class EbpfCode
{
    internal EbpfCode(EbpfInstruction[] instructions, IReadOnlyList<EbpfMap> maps)
    {
        InstructionArray = instructions;
        Maps = maps;
    }

    internal EbpfInstruction[] InstructionArray { get; }

    /// <summary>The instructions in kernel layout.</summary>
    public ReadOnlySpan<EbpfInstruction> Instructions => InstructionArray;

    /// <summary>Number of instruction slots (a 64-bit immediate load takes two).</summary>
    public int Length => InstructionArray.Length;

    /// <summary>The maps referred to, in order of first reference.</summary>
    public IReadOnlyList<EbpfMap> Maps { get; }

    /// <summary>The program in the verifier log's text form (see <see cref="EbpfDisassembler"/>).</summary>
    public override string ToString() => EbpfDisassembler.Format(InstructionArray);
}
