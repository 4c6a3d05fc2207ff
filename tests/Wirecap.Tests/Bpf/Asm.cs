using Wirecap.Bpf;

namespace Wirecap.Tests.Bpf;

/// <summary>Test shorthand: "ld #8; ldx #2; div x; ret a" in tcpdump -d syntax without the "(NNN)" prefixes.</summary>
public static class Asm
{
    public static BpfInstruction[] Code(string statements)
    {
        string[] parts = statements.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return BpfAssembler.Parse(string.Concat(parts.Select((p, i) => $"({i:000}) {p}\n")));
    }

    public static BpfProgram Kernel(string statements) => BpfProgram.Create(Code(statements));

    public static BpfProgram Libpcap(string statements) => BpfProgram.Create(Code(statements), BpfDialect.Libpcap);
}

/// <summary>Sample frames.</summary>
public static class Frames
{
    /// <summary>An Ethernet/IPv4/UDP frame of <paramref name="length"/> bytes (&gt;= 42): 10.0.0.1:1234 → 10.0.0.2:53.</summary>
    public static byte[] Udp(int length = 100)
    {
        var frame = new byte[length];
        byte[] header =
        [
            0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
            0x45, 0x00, (byte)((length - 14) >> 8), (byte)(length - 14), 0x12, 0x34, 0x40, 0x00, 0x40, 17, 0, 0,
            10, 0, 0, 1, 10, 0, 0, 2,
            0x04, 0xd2, 0x00, 0x35, (byte)((length - 34) >> 8), (byte)(length - 34), 0, 0,
        ];
        header.CopyTo(frame, 0);
        for (int i = header.Length; i < length; i++)
            frame[i] = (byte)i;
        return frame;
    }
}
