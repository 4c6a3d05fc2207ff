using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Ebpf.Translation;

/// <summary>Where a translated fragment keeps the classic machine. Everything lives in R0–R5, the registers a helper
/// call clobbers anyway, so the caller's R6–R9 (its context, record pointer, lengths) survive the fragment.</summary>
internal static class CbpfRegisters
{
    /// <summary>The fragment's result (the snap length; 0 rejects); also a second temporary inside loads.</summary>
    public const EbpfRegister Result = R0;

    /// <summary>Temporary: guard pointers, indirect offsets.</summary>
    public const EbpfRegister Temp = R1;

    /// <summary>The accumulator A (a zero-extended u32).</summary>
    public const EbpfRegister A = R2;

    /// <summary>The index register X (a zero-extended u32).</summary>
    public const EbpfRegister X = R3;

    /// <summary>Direct packet access: <c>skb-&gt;data</c>, the packet pointer whose proven range the guards grow.</summary>
    public const EbpfRegister Data = R4;

    /// <summary>Direct packet access: <c>skb-&gt;data_end</c>.</summary>
    public const EbpfRegister DataEnd = R5;

    /// <summary>True for the callee-saved registers a caller may hand the fragment as inputs.</summary>
    public static bool IsPreserved(EbpfRegister register) => register is R6 or R7 or R8 or R9;
}
