namespace Wirecap.Ebpf;

/// <summary>A jump target of an <see cref="EbpfAssembler"/>, defined before or after the jumps that use it.</summary>
public readonly record struct EbpfLabel(int Id);

/// <summary>The assembler cannot build the program: a label used but never placed, a jump too far for the 16-bit
/// offset, or an operand out of range.</summary>
public sealed class EbpfAssemblyException(string message) : InvalidOperationException(message);
