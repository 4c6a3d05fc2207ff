namespace Wirecap.Bpf;

/// <summary>
/// Classic BPF opcode bits (from <c>linux/bpf_common.h</c>) and the 49 complete opcodes the
/// kernel's classic checker accepts.
/// </summary>
public static class BpfOpcode
{
    // Classes.
    /// <summary>Load into A.</summary>
    public const ushort ClassLd = 0x00;
    /// <summary>Load into X.</summary>
    public const ushort ClassLdx = 0x01;
    /// <summary>Store A.</summary>
    public const ushort ClassSt = 0x02;
    /// <summary>Store X.</summary>
    public const ushort ClassStx = 0x03;
    /// <summary>Arithmetic.</summary>
    public const ushort ClassAlu = 0x04;
    /// <summary>Jumps.</summary>
    public const ushort ClassJmp = 0x05;
    /// <summary>Return.</summary>
    public const ushort ClassRet = 0x06;
    /// <summary>Register transfers.</summary>
    public const ushort ClassMisc = 0x07;

    // Sizes.
    /// <summary>32-bit word.</summary>
    public const ushort SizeW = 0x00;
    /// <summary>16-bit half word.</summary>
    public const ushort SizeH = 0x08;
    /// <summary>Byte.</summary>
    public const ushort SizeB = 0x10;

    // Modes.
    /// <summary>Immediate.</summary>
    public const ushort ModeImm = 0x00;
    /// <summary>Absolute packet offset.</summary>
    public const ushort ModeAbs = 0x20;
    /// <summary>Packet offset X + k.</summary>
    public const ushort ModeInd = 0x40;
    /// <summary>Scratch memory.</summary>
    public const ushort ModeMem = 0x60;
    /// <summary>Packet length.</summary>
    public const ushort ModeLen = 0x80;
    /// <summary>IP header length hack (<c>4*([k]&amp;0xf)</c>).</summary>
    public const ushort ModeMsh = 0xa0;

    // ALU and jump operations.
    /// <summary>Add.</summary>
    public const ushort OpAdd = 0x00;
    /// <summary>Subtract.</summary>
    public const ushort OpSub = 0x10;
    /// <summary>Multiply.</summary>
    public const ushort OpMul = 0x20;
    /// <summary>Divide.</summary>
    public const ushort OpDiv = 0x30;
    /// <summary>Or.</summary>
    public const ushort OpOr = 0x40;
    /// <summary>And.</summary>
    public const ushort OpAnd = 0x50;
    /// <summary>Left shift.</summary>
    public const ushort OpLsh = 0x60;
    /// <summary>Right shift.</summary>
    public const ushort OpRsh = 0x70;
    /// <summary>Negate.</summary>
    public const ushort OpNeg = 0x80;
    /// <summary>Modulo.</summary>
    public const ushort OpMod = 0x90;
    /// <summary>Exclusive or.</summary>
    public const ushort OpXor = 0xa0;
    /// <summary>Unconditional jump.</summary>
    public const ushort OpJa = 0x00;
    /// <summary>Jump if equal.</summary>
    public const ushort OpJeq = 0x10;
    /// <summary>Jump if greater (unsigned).</summary>
    public const ushort OpJgt = 0x20;
    /// <summary>Jump if greater or equal (unsigned).</summary>
    public const ushort OpJge = 0x30;
    /// <summary>Jump if any bit set.</summary>
    public const ushort OpJset = 0x40;

    // Sources.
    /// <summary>Operand is the constant k.</summary>
    public const ushort SrcK = 0x00;
    /// <summary>Operand is X.</summary>
    public const ushort SrcX = 0x08;
    /// <summary>Return value is A (RET class).</summary>
    public const ushort RetA = 0x10;
    /// <summary>Misc: A → X.</summary>
    public const ushort MiscTax = 0x00;
    /// <summary>Misc: X → A.</summary>
    public const ushort MiscTxa = 0x80;

    // The complete opcodes.
    /// <summary><c>ld #k</c></summary>
    public const ushort LdImm = ClassLd | SizeW | ModeImm;
    /// <summary><c>ld [k]</c></summary>
    public const ushort LdAbsW = ClassLd | SizeW | ModeAbs;
    /// <summary><c>ldh [k]</c></summary>
    public const ushort LdAbsH = ClassLd | SizeH | ModeAbs;
    /// <summary><c>ldb [k]</c></summary>
    public const ushort LdAbsB = ClassLd | SizeB | ModeAbs;
    /// <summary><c>ld [x + k]</c></summary>
    public const ushort LdIndW = ClassLd | SizeW | ModeInd;
    /// <summary><c>ldh [x + k]</c></summary>
    public const ushort LdIndH = ClassLd | SizeH | ModeInd;
    /// <summary><c>ldb [x + k]</c></summary>
    public const ushort LdIndB = ClassLd | SizeB | ModeInd;
    /// <summary><c>ld M[k]</c></summary>
    public const ushort LdMem = ClassLd | SizeW | ModeMem;
    /// <summary><c>ld #len</c></summary>
    public const ushort LdLen = ClassLd | SizeW | ModeLen;
    /// <summary><c>ldx #k</c></summary>
    public const ushort LdxImm = ClassLdx | SizeW | ModeImm;
    /// <summary><c>ldx M[k]</c></summary>
    public const ushort LdxMem = ClassLdx | SizeW | ModeMem;
    /// <summary><c>ldx #len</c></summary>
    public const ushort LdxLen = ClassLdx | SizeW | ModeLen;
    /// <summary><c>ldxb 4*([k]&amp;0xf)</c></summary>
    public const ushort LdxMsh = ClassLdx | SizeB | ModeMsh;
    /// <summary><c>st M[k]</c></summary>
    public const ushort St = ClassSt;
    /// <summary><c>stx M[k]</c></summary>
    public const ushort Stx = ClassStx;
    /// <summary><c>ja k</c></summary>
    public const ushort Ja = ClassJmp | OpJa;
    /// <summary><c>ret #k</c></summary>
    public const ushort RetK = ClassRet | SrcK;
    /// <summary><c>ret a</c></summary>
    public const ushort RetAcc = ClassRet | RetA;
    /// <summary><c>tax</c></summary>
    public const ushort Tax = ClassMisc | MiscTax;
    /// <summary><c>txa</c></summary>
    public const ushort Txa = ClassMisc | MiscTxa;
}
