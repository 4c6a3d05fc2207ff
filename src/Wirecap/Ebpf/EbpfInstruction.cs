using System.Runtime.InteropServices;

namespace Wirecap.Ebpf;

/// <summary>
/// One eBPF instruction, laid out exactly like the kernel's <c>struct bpf_insn</c> (code u8, dst_reg:4 in the low
/// nibble and src_reg:4 in the high nibble of one byte, off s16, imm s32; 8 bytes little-endian), so a span of these
/// is the program <c>BPF_PROG_LOAD</c> takes. A 64-bit immediate load occupies two slots.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = 8)]
public readonly record struct EbpfInstruction
{
    // Field order is the kernel layout; the properties below read these.
    private readonly byte _opcode;
    private readonly byte _registers;
    private readonly short _offset;
    private readonly int _immediate;

    /// <summary>Creates an instruction from its fields.</summary>
    public EbpfInstruction(byte opcode, EbpfRegister destination, EbpfRegister source, short offset, int immediate)
    {
        _opcode = opcode;
        _registers = (byte)(((byte)source << 4) | ((byte)destination & 0x0f));
        _offset = offset;
        _immediate = immediate;
    }

    /// <summary>The opcode byte (class | size | mode, or class | source | operation).</summary>
    public byte Opcode => _opcode;

    /// <summary>The destination register (low nibble).</summary>
    public EbpfRegister Destination => (EbpfRegister)(_registers & 0x0f);

    /// <summary>The source register (high nibble); for <c>ld_imm64</c> and calls, the pseudo-source kind.</summary>
    public EbpfRegister Source => (EbpfRegister)(_registers >> 4);

    /// <summary>The signed 16-bit offset: of a memory access, or of a jump (in instructions, from the next one).</summary>
    public short Offset => _offset;

    /// <summary>The signed 32-bit immediate.</summary>
    public int Immediate => _immediate;

    /// <summary>The instruction class.</summary>
    public byte Class => (byte)(Opcode & 0x07);

    /// <summary>True for the first half of a 64-bit immediate load (<c>lddw</c>), which the next slot completes.</summary>
    public bool IsWideLoad => Opcode == (EbpfOpcode.ClassLd | EbpfOpcode.SizeDW | EbpfOpcode.ModeImm);

    /// <summary>Reads instructions from their kernel byte form (8 bytes each).</summary>
    public static EbpfInstruction[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 8 != 0)
            throw new ArgumentException($"eBPF code is a whole number of 8-byte instructions; {bytes.Length} bytes is not", nameof(bytes));
        return MemoryMarshal.Cast<byte, EbpfInstruction>(bytes).ToArray();
    }

    /// <summary>The kernel byte form of <paramref name="program"/>.</summary>
    public static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<EbpfInstruction> program) => MemoryMarshal.AsBytes(program);
}
