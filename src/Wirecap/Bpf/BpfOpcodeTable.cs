namespace Wirecap.Bpf;

/// <summary>Facts about opcodes: the kernel's whitelist (<c>chk_code_allowed</c>) and the jump kinds.</summary>
internal static class BpfOpcodeTable
{
    private static readonly bool[] s_kernel = BuildKernelTable();

    /// <summary>The 49 opcodes the kernel's classic checker accepts.</summary>
    public static ReadOnlySpan<ushort> KernelOpcodes =>
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x14, 0x15, 0x16, 0x1c, 0x1d, 0x20, 0x24,
        0x25, 0x28, 0x2c, 0x2d, 0x30, 0x34, 0x35, 0x3c, 0x3d, 0x40, 0x44, 0x45, 0x48, 0x4c, 0x4d, 0x50,
        0x54, 0x5c, 0x60, 0x61, 0x64, 0x6c, 0x74, 0x7c, 0x80, 0x81, 0x84, 0x87, 0x94, 0x9c, 0xa4, 0xac,
        0xb1,
    ];

    public static bool IsKernelOpcode(ushort code) => code < s_kernel.Length && s_kernel[code];

    /// <summary>True for the eight conditional jumps (jeq/jgt/jge/jset with k or x).</summary>
    public static bool IsConditionalJump(ushort code) =>
        code is 0x15 or 0x1d or 0x25 or 0x2d or 0x35 or 0x3d or 0x45 or 0x4d;

    private static bool[] BuildKernelTable()
    {
        var table = new bool[0x100];
        foreach (ushort code in KernelOpcodes)
            table[code] = true;
        return table;
    }
}
