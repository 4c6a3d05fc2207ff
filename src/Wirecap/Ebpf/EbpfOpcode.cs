namespace Wirecap.Ebpf;

/// <summary>The parts of an eBPF opcode byte (<c>uapi/linux/bpf.h</c>, <c>bpf_common.h</c>): class in the low three
/// bits; for loads and stores size and mode; for arithmetic and jumps source and operation.</summary>
public static class EbpfOpcode
{
    /// <summary>Class: 64-bit immediate loads (<c>BPF_LD</c>).</summary>
    public const byte ClassLd = 0x00;
    /// <summary>Class: loads from memory (<c>BPF_LDX</c>).</summary>
    public const byte ClassLdx = 0x01;
    /// <summary>Class: stores of an immediate (<c>BPF_ST</c>).</summary>
    public const byte ClassSt = 0x02;
    /// <summary>Class: stores of a register (<c>BPF_STX</c>).</summary>
    public const byte ClassStx = 0x03;
    /// <summary>Class: 32-bit arithmetic (<c>BPF_ALU</c>).</summary>
    public const byte ClassAlu = 0x04;
    /// <summary>Class: 64-bit jumps, calls and exit (<c>BPF_JMP</c>).</summary>
    public const byte ClassJmp = 0x05;
    /// <summary>Class: 32-bit compares (<c>BPF_JMP32</c>).</summary>
    public const byte ClassJmp32 = 0x06;
    /// <summary>Class: 64-bit arithmetic (<c>BPF_ALU64</c>).</summary>
    public const byte ClassAlu64 = 0x07;

    /// <summary>Size: 4 bytes (<c>BPF_W</c>).</summary>
    public const byte SizeW = 0x00;
    /// <summary>Size: 2 bytes (<c>BPF_H</c>).</summary>
    public const byte SizeH = 0x08;
    /// <summary>Size: 1 byte (<c>BPF_B</c>).</summary>
    public const byte SizeB = 0x10;
    /// <summary>Size: 8 bytes (<c>BPF_DW</c>).</summary>
    public const byte SizeDW = 0x18;

    /// <summary>Mode: immediate (<c>BPF_IMM</c>, with <see cref="ClassLd"/> and <see cref="SizeDW"/>: <c>ld_imm64</c>).</summary>
    public const byte ModeImm = 0x00;
    /// <summary>Mode: memory at register + offset (<c>BPF_MEM</c>).</summary>
    public const byte ModeMem = 0x60;
    /// <summary>Mode: atomic read-modify-write (<c>BPF_ATOMIC</c>).</summary>
    public const byte ModeAtomic = 0xc0;

    /// <summary>Source: the immediate (<c>BPF_K</c>).</summary>
    public const byte SourceK = 0x00;
    /// <summary>Source: the source register (<c>BPF_X</c>); for <see cref="EbpfAluOp.End"/>: to big endian.</summary>
    public const byte SourceX = 0x08;

    /// <summary><c>src_reg</c> of an <c>ld_imm64</c> whose immediate is a map descriptor (<c>BPF_PSEUDO_MAP_FD</c>).</summary>
    public const byte PseudoMapFd = 1;
    /// <summary><c>src_reg</c> of an <c>ld_imm64</c> whose immediate is a map descriptor and whose second half is an offset into the map's value (<c>BPF_PSEUDO_MAP_VALUE</c>).</summary>
    public const byte PseudoMapValue = 2;
    /// <summary><c>src_reg</c> of a call to a function of the same program (<c>BPF_PSEUDO_CALL</c>).</summary>
    public const byte PseudoCall = 1;

    /// <summary>The class of <paramref name="opcode"/>.</summary>
    public static byte Class(byte opcode) => (byte)(opcode & 0x07);
}

/// <summary>Arithmetic operations (the high four bits of a <see cref="EbpfOpcode.ClassAlu"/>/<see cref="EbpfOpcode.ClassAlu64"/> opcode).</summary>
public enum EbpfAluOp : byte
{
    /// <summary><c>dst += src</c>.</summary>
    Add = 0x00, /// <summary><c>dst -= src</c>.</summary>
    Sub = 0x10, /// <summary><c>dst *= src</c>.</summary>
    Mul = 0x20, /// <summary><c>dst /= src</c> (unsigned; 0 when src is 0).</summary>
    Div = 0x30, /// <summary><c>dst |= src</c>.</summary>
    Or = 0x40, /// <summary><c>dst &amp;= src</c>.</summary>
    And = 0x50, /// <summary><c>dst &lt;&lt;= src</c>.</summary>
    Lsh = 0x60, /// <summary><c>dst &gt;&gt;= src</c> (logical).</summary>
    Rsh = 0x70, /// <summary><c>dst = -dst</c>.</summary>
    Neg = 0x80, /// <summary><c>dst %= src</c> (unsigned; dst unchanged when src is 0).</summary>
    Mod = 0x90, /// <summary><c>dst ^= src</c>.</summary>
    Xor = 0xa0, /// <summary><c>dst = src</c>.</summary>
    Mov = 0xb0, /// <summary><c>dst s&gt;&gt;= src</c> (arithmetic).</summary>
    Arsh = 0xc0, /// <summary>Byte swap: to little (<see cref="EbpfOpcode.SourceK"/>) or big (<see cref="EbpfOpcode.SourceX"/>) endian, width in the immediate.</summary>
    End = 0xd0,
}

/// <summary>Jump operations (the high four bits of a <see cref="EbpfOpcode.ClassJmp"/>/<see cref="EbpfOpcode.ClassJmp32"/> opcode).</summary>
public enum EbpfJumpOp : byte
{
    /// <summary>Always (<c>goto</c>; 64-bit class only).</summary>
    Always = 0x00, /// <summary><c>==</c>.</summary>
    Equal = 0x10, /// <summary><c>&gt;</c> unsigned.</summary>
    Greater = 0x20, /// <summary><c>&gt;=</c> unsigned.</summary>
    GreaterOrEqual = 0x30, /// <summary><c>dst &amp; src != 0</c>.</summary>
    AnyBitSet = 0x40, /// <summary><c>!=</c>.</summary>
    NotEqual = 0x50, /// <summary><c>&gt;</c> signed.</summary>
    SignedGreater = 0x60, /// <summary><c>&gt;=</c> signed.</summary>
    SignedGreaterOrEqual = 0x70, /// <summary>Call a helper (64-bit class only).</summary>
    Call = 0x80, /// <summary>Return R0 (64-bit class only).</summary>
    Exit = 0x90, /// <summary><c>&lt;</c> unsigned.</summary>
    Less = 0xa0, /// <summary><c>&lt;=</c> unsigned.</summary>
    LessOrEqual = 0xb0, /// <summary><c>&lt;</c> signed.</summary>
    SignedLess = 0xc0, /// <summary><c>&lt;=</c> signed.</summary>
    SignedLessOrEqual = 0xd0,
}

/// <summary>Memory access widths.</summary>
public enum EbpfSize : byte
{
    /// <summary>4 bytes (<c>u32</c>).</summary>
    Word = EbpfOpcode.SizeW, /// <summary>2 bytes (<c>u16</c>).</summary>
    Half = EbpfOpcode.SizeH, /// <summary>1 byte (<c>u8</c>).</summary>
    Byte = EbpfOpcode.SizeB, /// <summary>8 bytes (<c>u64</c>).</summary>
    Double = EbpfOpcode.SizeDW,
}
