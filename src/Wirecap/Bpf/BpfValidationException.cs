namespace Wirecap.Bpf;

/// <summary>A classic BPF program was refused by <see cref="BpfValidator"/>.</summary>
public sealed class BpfValidationException : Exception
{
    /// <summary>Creates the exception for an instruction (or -1 for the whole program) and the rule it broke.</summary>
    public BpfValidationException(int instructionIndex, BpfValidationRule rule, string detail)
        : base(instructionIndex < 0
            ? $"Invalid BPF program ({rule}): {detail}"
            : $"Invalid BPF program at instruction {instructionIndex} ({rule}): {detail}")
    {
        InstructionIndex = instructionIndex;
        Rule = rule;
    }

    /// <summary>Index of the offending instruction, or -1 when the rule concerns the program as a whole.</summary>
    public int InstructionIndex { get; }

    /// <summary>The rule that was broken.</summary>
    public BpfValidationRule Rule { get; }
}
