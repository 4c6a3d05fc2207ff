using System.Runtime.InteropServices;

namespace Wirecap.Bpf;

/// <summary>
/// One classic BPF instruction, laid out exactly like the kernel's <c>struct sock_filter</c>
/// (code u16, jt u8, jf u8, k u32; 8 bytes), so a span of these can be handed to
/// <c>SO_ATTACH_FILTER</c> without conversion.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = 8)]
public readonly record struct BpfInstruction(ushort Code, byte JumpTrue, byte JumpFalse, uint K)
{
    /// <summary>Instruction class (<c>code &amp; 0x07</c>).</summary>
    public int Class => Code & 0x07;

    /// <summary>Load/store size bits (<c>code &amp; 0x18</c>).</summary>
    public int Size => Code & 0x18;

    /// <summary>Addressing mode bits (<c>code &amp; 0xe0</c>).</summary>
    public int Mode => Code & 0xe0;

    /// <summary>ALU or jump operation bits (<c>code &amp; 0xf0</c>).</summary>
    public int Operation => Code & 0xf0;

    /// <summary>Source operand bit (<c>code &amp; 0x08</c>): 0 for K, 8 for X.</summary>
    public int Source => Code & 0x08;

    /// <summary>A statement: an instruction that is not a conditional jump.</summary>
    public static BpfInstruction Statement(ushort code, uint k = 0) => new(code, 0, 0, k);

    /// <summary>A conditional jump (or <c>ja</c> when <paramref name="code"/> is <see cref="BpfOpcode.Ja"/>).</summary>
    public static BpfInstruction Jump(ushort code, uint k, byte jumpTrue, byte jumpFalse) => new(code, jumpTrue, jumpFalse, k);
}
