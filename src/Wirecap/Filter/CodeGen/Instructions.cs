using Wirecap.Bpf;

namespace Wirecap.Filter.CodeGen;

/// <summary>Short constructors for the statements and jump opcodes the generators emit.</summary>
internal static class Instructions
{
    public const ushort Jeq = BpfOpcode.ClassJmp | BpfOpcode.OpJeq | BpfOpcode.SrcK;
    public const ushort Jgt = BpfOpcode.ClassJmp | BpfOpcode.OpJgt | BpfOpcode.SrcK;
    public const ushort Jge = BpfOpcode.ClassJmp | BpfOpcode.OpJge | BpfOpcode.SrcK;
    public const ushort Jset = BpfOpcode.ClassJmp | BpfOpcode.OpJset | BpfOpcode.SrcK;
    public const ushort JeqX = BpfOpcode.ClassJmp | BpfOpcode.OpJeq | BpfOpcode.SrcX;
    public const ushort JgtX = BpfOpcode.ClassJmp | BpfOpcode.OpJgt | BpfOpcode.SrcX;
    public const ushort JgeX = BpfOpcode.ClassJmp | BpfOpcode.OpJge | BpfOpcode.SrcX;

    public static ushort SizeBits(int size) => size switch
    {
        1 => BpfOpcode.SizeB,
        2 => BpfOpcode.SizeH,
        _ => BpfOpcode.SizeW,
    };

    public static BpfInstruction LoadAbsolute(int size, int offset) =>
        BpfInstruction.Statement((ushort)(BpfOpcode.ClassLd | BpfOpcode.ModeAbs | SizeBits(size)), (uint)offset);

    public static BpfInstruction LoadIndexed(int size, int offset) =>
        BpfInstruction.Statement((ushort)(BpfOpcode.ClassLd | BpfOpcode.ModeInd | SizeBits(size)), (uint)offset);

    public static BpfInstruction LoadImmediate(uint k) => BpfInstruction.Statement(BpfOpcode.LdImm, k);

    public static BpfInstruction LoadLength() => BpfInstruction.Statement(BpfOpcode.LdLen);

    public static BpfInstruction LoadMemory(int slot) => BpfInstruction.Statement(BpfOpcode.LdMem, (uint)slot);

    public static BpfInstruction LoadXImmediate(uint k) => BpfInstruction.Statement(BpfOpcode.LdxImm, k);

    public static BpfInstruction LoadXMemory(int slot) => BpfInstruction.Statement(BpfOpcode.LdxMem, (uint)slot);

    public static BpfInstruction LoadXHeaderLength(int offset) => BpfInstruction.Statement(BpfOpcode.LdxMsh, (uint)offset);

    public static BpfInstruction Store(int slot) => BpfInstruction.Statement(BpfOpcode.St, (uint)slot);

    public static BpfInstruction Alu(ushort operation, uint k) =>
        BpfInstruction.Statement((ushort)(BpfOpcode.ClassAlu | operation | BpfOpcode.SrcK), k);

    public static BpfInstruction AluX(ushort operation) =>
        BpfInstruction.Statement((ushort)(BpfOpcode.ClassAlu | operation | BpfOpcode.SrcX));

    public static BpfInstruction Negate() => BpfInstruction.Statement(BpfOpcode.ClassAlu | BpfOpcode.OpNeg);

    public static BpfInstruction Tax() => BpfInstruction.Statement(BpfOpcode.Tax);

    public static BpfInstruction Txa() => BpfInstruction.Statement(BpfOpcode.Txa);
}
