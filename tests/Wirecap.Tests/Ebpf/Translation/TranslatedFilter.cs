using System.Buffers.Binary;
using Wirecap.Bpf;
using Wirecap.Ebpf;

namespace Wirecap.Tests.Ebpf.Translation;

/// <summary>
/// A translated filter loaded into the kernel, and what our interpreter says for the same frame, so the kernel can
/// judge the translation: <c>BPF_PROG_TEST_RUN</c> hands a SCHED_CLS program the frame on the loopback device
/// (<c>eth_type_trans</c> sets protocol and packet type), with the mark we choose in the context.
/// </summary>
internal static class TranslatedFilter
{
    private static readonly Lazy<int> LoopbackIndex = new(() =>
        int.Parse(File.ReadAllText("/sys/class/net/lo/ifindex").Trim(), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The kernel's result of <paramref name="program"/> for <paramref name="frame"/> with <paramref name="mark"/>.</summary>
    public static uint KernelResult(EbpfProgram program, byte[] frame, uint mark = 0)
    {
        var context = new byte[SkBuffField.ContextSize];
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(SkBuffField.Mark), mark);
        return program.TestRun(frame, context: context).ReturnValue;
    }

    /// <summary>True when the test run takes <paramref name="frame"/>: an Ethernet header, and for IPv4 and IPv6 the whole
    /// fixed network header (the kernel refuses shorter ones with EINVAL; observed on 6.18).</summary>
    public static bool Runnable(byte[] frame)
    {
        if (frame.Length < 14) return false;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        return type switch
        {
            0x0800 => frame.Length >= 14 + 20,
            0x86dd => frame.Length >= 14 + 40,
            _ => true,
        };
    }

    /// <summary>What a packet socket would keep of <paramref name="frame"/> by our interpreter: min(result, length).</summary>
    public static uint ExpectedResult(BpfProgram program, byte[] frame, uint mark = 0)
    {
        uint result = BpfInterpreter.Run(program, frame, ContextOf(frame, mark));
        return Math.Min(result, (uint)frame.Length);
    }

    /// <summary>The metadata a test run gives the frame, as the interpreter's context.</summary>
    public static BpfContext ContextOf(byte[] frame, uint mark) => new()
    {
        Protocol = EthTypeTrans(frame),
        PacketType = PacketTypeOnLoopback(frame),
        InterfaceIndex = LoopbackIndex.Value,
        Mark = mark,
        HardwareType = 772, // ARPHRD_LOOPBACK (never read: HATYPE is refused)
        LinkLayerHeaderOffset = 0,
        NetworkHeaderOffset = 14,
    };

    /// <summary><c>eth_type_trans</c>: the EtherType, or 802.3 raw (0x0001) / 802.2 LLC (0x0004) for a length field.</summary>
    private static ushort EthTypeTrans(byte[] frame)
    {
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        if (type >= 0x0600) return type;
        return frame.Length >= 16 && frame[14] == 0xff && frame[15] == 0xff ? (ushort)0x0001 : (ushort)0x0004;
    }

    /// <summary>The loopback device's address and broadcast address are all zeros: a zero destination is for this host,
    /// any group address (ff:ff:ff:ff:ff:ff included) multicast, anything else another host's.</summary>
    private static LinuxPacketType PacketTypeOnLoopback(byte[] frame)
    {
        if (frame.AsSpan(0, 6).IndexOfAnyExcept((byte)0) < 0) return LinuxPacketType.Host;
        return (frame[0] & 1) != 0 ? LinuxPacketType.Multicast : LinuxPacketType.OtherHost;
    }
}
