using Wirecap.Bpf;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;

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
    /// <summary>An Ethernet/IPv4/UDP frame of <paramref name="length"/> bytes (&gt;= 42): 10.0.0.1:1234 → 10.0.0.2:53,
    /// IP id 0x1234, the UDP checksum left zero, each payload byte its offset in the frame.</summary>
    public static byte[] Udp(int length = 100)
    {
        var payload = new byte[length - 42];
        for (int i = 0; i < payload.Length; i++)
            payload[i] = (byte)(42 + i);
        byte[] packet = FrameBuilder.Ipv4([10, 0, 0, 1], [10, 0, 0, 2], IpProtocols.Udp, FrameBuilder.Udp(1234, 53, payload), id: 0x1234);
        return FrameBuilder.Ethernet(FrameBuilder.Mac("02:00:00:00:00:01"), FrameBuilder.Mac("02:00:00:00:00:02"), EtherTypes.IPv4, packet, pad: false);
    }
}
