namespace Wirecap.Bpf;

/// <summary>The mnemonics of the ALU and conditional-jump opcodes that libpcap's <c>bpf_image</c> knows.</summary>
internal static class BpfMnemonics
{
    private static readonly (int Operation, string Name)[] s_alu =
    [
        (BpfOpcode.OpAdd, "add"), (BpfOpcode.OpSub, "sub"), (BpfOpcode.OpMul, "mul"), (BpfOpcode.OpDiv, "div"),
        (BpfOpcode.OpMod, "mod"), (BpfOpcode.OpAnd, "and"), (BpfOpcode.OpOr, "or"), (BpfOpcode.OpXor, "xor"),
        (BpfOpcode.OpLsh, "lsh"), (BpfOpcode.OpRsh, "rsh"),
    ];

    private static readonly (int Operation, string Name)[] s_jumps =
    [
        (BpfOpcode.OpJeq, "jeq"), (BpfOpcode.OpJgt, "jgt"), (BpfOpcode.OpJge, "jge"), (BpfOpcode.OpJset, "jset"),
    ];

    /// <summary>The mnemonic of an exact ALU opcode with a K or X source (not neg), or null.</summary>
    public static string? Alu(ushort code) => Lookup(s_alu, code, BpfOpcode.ClassAlu);

    /// <summary>The mnemonic of an exact conditional-jump opcode, or null.</summary>
    public static string? Jump(ushort code) => Lookup(s_jumps, code, BpfOpcode.ClassJmp);

    /// <summary>and/or/xor print their constant in hex; the other ALU operations in signed decimal.</summary>
    public static bool AluPrintsHex(ushort code) => (code & 0xf0) is BpfOpcode.OpAnd or BpfOpcode.OpOr or BpfOpcode.OpXor;

    /// <summary>The ALU operation bits for a mnemonic, or -1.</summary>
    public static int AluOperation(string name) => Find(s_alu, name);

    /// <summary>The jump operation bits for a mnemonic, or -1.</summary>
    public static int JumpOperation(string name) => Find(s_jumps, name);

    private static string? Lookup((int Operation, string Name)[] table, ushort code, int @class)
    {
        if ((code & ~0xf8) != @class)
            return null;
        foreach (var (operation, name) in table)
            if ((code & 0xf0) == operation)
                return name;
        return null;
    }

    private static int Find((int Operation, string Name)[] table, string name)
    {
        foreach (var (operation, known) in table)
            if (known == name)
                return operation;
        return -1;
    }
}
