using Wirecap.Bpf;
using NUnit.Framework;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// The kernel dialect reproduces what the live kernel (6.18) did with these programs
/// (table "Observed on kernel 6.18.44" in the cBPF notes).
/// </summary>
public sealed class KernelSemanticsTests
{
    private static readonly BpfContext RawSocket = new() { Protocol = 0x0800, NetworkHeaderOffset = 14, HardwareType = 1 };

    private static uint Run(string program, byte[] packet, BpfContext? context = null) =>
        BpfInterpreter.Run(Asm.Kernel(program), packet, context ?? RawSocket);

    [TestCase("ret #-1", 0xffffffffu)]
    [TestCase("ret #10", 10u)]
    [TestCase("ret #0", 0u)]
    [TestCase("ld #0; ret a", 0u)]
    [TestCase("ld [1000]; ret #-1", 0u)]
    [TestCase("ld [96]; ret #-1", 0xffffffffu)]
    [TestCase("ld [97]; ret #-1", 0u)]
    [TestCase("ldh [98]; ret #-1", 0xffffffffu)]
    [TestCase("ldh [99]; ret #-1", 0u)]
    [TestCase("ldb [99]; ret #-1", 0xffffffffu)]
    [TestCase("ldb [100]; ret #-1", 0u)]
    [TestCase("ldx #200; ldb [x + 0]; ret #-1", 0u)]
    [TestCase("ldx #0xffffffff; ldb [x + 1]; ret a", 2u)]
    [TestCase("ldxb 4*([200]&0xf); ret #-1", 0u)]
    [TestCase("ld [-4097]; ret #-1", 0u)]
    [TestCase("ld [-3145728]; ret #-1", 0u)]
    [TestCase("ld #8; ldx #0; div x; ret #-1", 0u)]
    [TestCase("ld #8; ldx #0; mod x; ret #-1", 0u)]
    [TestCase("ld #8; ldx #2; div x; ret a", 4u)]
    [TestCase("ld #47; ldx #10; mod x; ret a", 7u)]
    [TestCase("ld #3; ldx #32; lsh x; ret a", 3u)]
    [TestCase("ld #3; ldx #33; lsh x; ret a", 6u)]
    [TestCase("ld #64; ldx #33; rsh x; ret a", 32u)]
    [TestCase("ld #64; ldx #0xffffffe2; rsh x; ret a", 16u)]
    [TestCase("ld #64; ldx #0xffffffe1; rsh x; ret a", 32u)]
    [TestCase("ld #0xfffffff6; neg; ret a", 10u)]
    [TestCase("ld #0xffffffff; add #12; ret a", 11u)]
    [TestCase("ld #0x80000001; mul #12; ret a", 12u)]
    [TestCase("ld #0xfffffff0; div #268435456; ret a", 15u)]
    [TestCase("ld #5; jgt #0xfffffff0 jt 2 jf 3; ret #1; ret #2", 2u)]
    [TestCase("ld #0xfffffff1; jgt #0xfffffff0 jt 2 jf 3; ret #1; ret #2", 1u)]
    [TestCase("ld #pktlen; sub #50; ret a", 50u)]
    [TestCase("ld #pktlen; sub #100; ret a", 0u)]
    [TestCase("ld #pktlen; sub #101; ret a", 0xffffffffu)]
    [TestCase("ld #13; st M[15]; ldx M[15]; txa; ret a", 13u)]
    [TestCase("ldxb 4*([14]&0xf); txa; ret a", 20u)]
    [TestCase("ld #33; ldxb 4*([14]&0xf); ret a", 33u)]
    [TestCase("ld #5; ldx #3; ld [xor_x]; ret a", 6u)]
    [TestCase("ldb [proto]; ret a", 0x800u)]
    [TestCase("ld [poff]; ret a", 42u)]
    [TestCase("ld [nla]; ret a", 0u)]
    [TestCase("ld #0xffff; ld [nla]; add #7; ret a", 7u)]
    [TestCase("ld #0xffff; ld [nlan]; add #7; ret a", 7u)]
    [TestCase("ld [vlan_tci]; ret a", 0u)]
    [TestCase("ld [hatype]; ret a", 1u)]
    public void Kernel_result_on_a_100_byte_udp_frame(string program, uint expected) =>
        Assert.That(Run(program, Frames.Udp()), Is.EqualTo(expected));

    [TestCase("ldb [-2097152]; ret a", 0x02u)]
    [TestCase("ldh [-2097140]; ret a", 0x0800u)]
    [TestCase("ldb [-1048576]; ret a", 0x45u)]
    [TestCase("ldb [-1048577]; ret #-1", 0u)]
    [TestCase("ldh [-1047992]; ret #-1", 0xffffffffu)]
    [TestCase("ld [-1047992]; ret #-1", 0u)]
    [TestCase("ldx #0xfff00000; ldb [x + 9]; ret a", 17u)]
    public void Header_relative_offsets_on_a_raw_socket(string program, uint expected) =>
        Assert.That(Run(program, Frames.Udp(600)), Is.EqualTo(expected));

    /// <summary>SOCK_DGRAM: offset 0 is the network header; the link-layer header is headroom before it.</summary>
    [TestCase("ldb [0]; ret a", 0x45u)]
    [TestCase("ldh [-2097140]; ret a", 0x0800u)]
    [TestCase("ldb [-1048567]; ret a", 17u)]
    [TestCase("ld #pktlen; ret a", 586u)]
    [TestCase("ld [poff]; ret a", 28u)]
    [TestCase("ldx #0xffffffff; ldb [x + 0]; ret #-1", 0u)]
    public void Header_relative_offsets_on_a_datagram_socket(string program, uint expected)
    {
        var context = new BpfContext { Protocol = 0x0800, DataOffset = 14, LinkLayerHeaderOffset = -14, NetworkHeaderOffset = 0 };
        Assert.That(Run(program, Frames.Udp(600), context), Is.EqualTo(expected));
    }

    [Test]
    public void Link_layer_loads_fail_without_a_link_layer_header()
    {
        var context = RawSocket with { LinkLayerHeaderMissing = true };
        Assert.That(Run("ldb [-2097152]; ret #-1", Frames.Udp(), context), Is.Zero);
    }

    [Test]
    public void Header_relative_loads_stop_at_the_linear_end()
    {
        var context = RawSocket with { LinearLength = 40 };
        Assert.That(Run("ldb [-2097113]; ret #-1", Frames.Udp(), context), Is.EqualTo(0xffffffffu), "byte 39");
        Assert.That(Run("ldb [-2097112]; ret #-1", Frames.Udp(), context), Is.Zero, "byte 40 is in a fragment");
        Assert.That(Run("ldb [40]; ret #-1", Frames.Udp(), context), Is.EqualTo(0xffffffffu), "plain loads reach fragments");
    }

    [Test]
    public void Ancillary_loads_read_the_context()
    {
        var context = new BpfContext
        {
            Protocol = 0x86dd, PacketType = LinuxPacketType.Multicast, InterfaceIndex = 7, Mark = 0xabcdef01, Queue = 3,
            HardwareType = 772, ReceiveHash = 0x55aa55aa, Cpu = 5, VlanTci = 0xf07b, VlanTagPresent = true, VlanTpid = 0x88a8,
            Random = () => 0x1234,
        };
        (string Name, uint Expected)[] cases =
        [
            ("proto", 0x86dd), ("type", 2), ("ifidx", 7), ("mark", 0xabcdef01), ("queue", 3), ("hatype", 772),
            ("rxhash", 0x55aa55aa), ("cpu", 5), ("vlan_tci", 0xf07b), ("vlanp", 1), ("vlan_tpid", 0x88a8), ("random", 0x1234),
        ];
        foreach (var (name, expected) in cases)
            foreach (string size in new[] { "ld", "ldh", "ldb" })
                Assert.That(Run($"{size} [{name}]; ret a", Frames.Udp(), context), Is.EqualTo(expected), $"{size} [{name}]");
    }

    [Test]
    public void Cpu_defaults_to_the_current_processor()
    {
        uint cpu = Run("ld [cpu]; ret a", Frames.Udp(), new BpfContext());
        Assert.That(cpu, Is.LessThan((uint)Math.Max(Environment.ProcessorCount, 1) * 4));
    }

    [Test]
    public void Wire_length_is_what_ld_len_returns()
    {
        Assert.That(Run("ld #pktlen; ret a", Frames.Udp(), RawSocket with { WireLength = 1500 }), Is.EqualTo(1500u));
        Assert.That(Run("ldx #pktlen; txa; ret a", Frames.Udp(), RawSocket), Is.EqualTo(100u));
    }

    [Test]
    public void Empty_packets_drop_on_any_load()
    {
        Assert.That(Run("ldb [0]; ret #-1", []), Is.Zero);
        Assert.That(Run("ld #pktlen; ret a", [], RawSocket), Is.Zero);
        Assert.That(Run("ret #5", []), Is.EqualTo(5u));
    }

    [Test]
    public void Netlink_attribute_search()
    {
        // Attributes (little-endian len/type): at 2 len 4 type 2, at 6 len 8 type 3 (nested: at 10 len 4 type 9).
        byte[] message = [0xff, 0xff, 4, 0, 2, 0, 8, 0, 3, 0x80, 4, 0, 9, 0];
        Assert.That(Run("ld #2; ldx #3; ld [nla]; ret a", message), Is.EqualTo(6u), "type bits above 0x3fff are flags");
        Assert.That(Run("ld #2; ldx #4; ld [nla]; ret a", message), Is.Zero);
        Assert.That(Run("ld #6; ldx #9; ld [nlan]; ret a", message), Is.EqualTo(10u));
        Assert.That(BpfInterpreter.Run(Asm.Kernel("ld #2; ldx #3; ld [nla]; ret a"), message, new BpfContext { LinearLength = 8 }),
            Is.Zero, "a non-linear packet is not searched");
    }

    [TestCase("ldb [x + 0]; ret a")]
    [TestCase("ldh [x + 0]; ret a")]
    [TestCase("ld [x + 0]; ret a")]
    [TestCase("ldxb 4*([14]&0xf); txa; ret a")]
    public void Loads_straddling_segments_read_what_a_contiguous_packet_reads(string load)
    {
        byte[] frame = Frames.Udp(64);
        for (int offset = 0; offset < frame.Length; offset++)
        {
            BpfProgram atOffset = Asm.Kernel($"ldx #{offset}; " + load);
            uint expected = BpfInterpreter.Run(atOffset, frame, RawSocket);
            for (int cut = 0; cut <= frame.Length; cut += 3)
                Assert.That(BpfInterpreter.Run(atOffset, Segments.Split(frame, cut, Math.Min(cut + 1, frame.Length)), RawSocket),
                    Is.EqualTo(expected), $"offset {offset}, cut at {cut}");
        }
    }

    [Test]
    public void A_run_allocates_nothing()
    {
        BpfProgram program = Asm.Kernel("ldh [12]; jeq #0x800 jt 2 jf 5; ldb [23]; jeq #0x11 jt 4 jf 5; ld [poff]; ret #-1");
        byte[] frame = Frames.Udp();
        var sequence = Segments.Split(frame, 13, 30);
        long allocated = Allocations.Quietest(6, () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                BpfInterpreter.Run(program, frame, RawSocket);
                BpfInterpreter.Run(program, sequence, RawSocket);
            }
        });
        Assert.That(allocated, Is.Zero);
    }
}
