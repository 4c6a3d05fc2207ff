namespace Wirecap.Ebpf.Translation;

/// <summary>A classic BPF program cannot be translated to eBPF for the hook it is meant for: it reads something the
/// hook does not have (an ancillary load such as <c>SKF_AD_CPU</c> at TC, any socket-buffer metadata on a copied
/// packet, a <c>SKF_NET_OFF</c>-relative load), or it is not a valid kernel program. The message names the
/// instruction and what to do instead.</summary>
public sealed class CbpfTranslationException : NotSupportedException
{
    /// <summary>Creates the exception for the instruction at <paramref name="programCounter"/> (-1: the whole program).</summary>
    public CbpfTranslationException(int programCounter, string message) : base(message) => ProgramCounter = programCounter;

    /// <summary>Index of the classic instruction that cannot be translated, or -1 when the refusal concerns the whole program.</summary>
    public int ProgramCounter { get; }
}
