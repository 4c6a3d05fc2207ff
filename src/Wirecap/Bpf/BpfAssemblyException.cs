namespace Wirecap.Bpf;

/// <summary>Text given to <see cref="BpfAssembler"/> is not a program in any of the three forms.</summary>
public sealed class BpfAssemblyException : FormatException
{
    /// <summary>Creates the exception for a 1-based line number (0 when the text as a whole is at fault).</summary>
    public BpfAssemblyException(int lineNumber, string message)
        : base(lineNumber > 0 ? $"BPF program text, line {lineNumber}: {message}" : $"BPF program text: {message}")
    {
        LineNumber = lineNumber;
    }

    /// <summary>The 1-based line at fault, or 0 when the text as a whole is.</summary>
    public int LineNumber { get; }
}
