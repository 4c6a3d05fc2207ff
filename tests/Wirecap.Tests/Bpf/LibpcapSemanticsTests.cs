using Wirecap.Bpf;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>The libpcap dialect behaves as libpcap 1.10.3's bpf_filter (results in the cBPF notes' table).</summary>
public sealed class LibpcapSemanticsTests
{
    private static uint Run(string program, byte[] packet, BpfContext context = default) =>
        BpfInterpreter.Run(Asm.Libpcap(program), packet, context);

    [TestCase("ld #pktlen; ret a", 1500u)]
    [TestCase("ldb [99]; ret #-1", 0xffffffffu)]
    [TestCase("ldb [100]; ret #-1", 0u)]
    [TestCase("ldb [-2097152]; ret #-1", 0u)]
    [TestCase("ldx #0xffffffff; ldb [x + 1]; ret #-1", 0u)]
    [TestCase("ldx #1; ldh [x + 0xffffffff]; ret #-1", 0u)]
    [TestCase("ldb [proto]; ret #-1", 0u)]
    [TestCase("ld [mark]; ret #-1", 0u)]
    [TestCase("ld #8; ldx #0; div x; ret #-1", 0u)]
    [TestCase("ld #3; ldx #33; lsh x; ret a", 0u)]
    [TestCase("ld #64; ldx #32; rsh x; ret a", 0u)]
    [TestCase("ld #3; ldx #31; lsh x; ret a", 0x80000000u)]
    [TestCase("ld #3; lsh #33; ret a", 6u)]
    [TestCase("ld M[3]; ret a", 0u)]
    public void Libpcap_result_on_a_100_byte_capture_of_a_1500_byte_packet(string program, uint expected) =>
        Assert.That(Run(program, Frames.Udp(), new BpfContext { WireLength = 1500 }), Is.EqualTo(expected));

    [Test]
    public void Backward_jumps_loop_until_the_budget_is_spent()
    {
        // M[0] counts down from n; each round jumps back once.
        string Loop(int n) => $"ld #{n}; st M[0]; ld M[0]; jeq #0 jt 7 jf 4; sub #1; st M[0]; ja 2; ret #77";
        Assert.That(Run(Loop(64), []), Is.EqualTo(77u), "64 backward jumps are allowed");
        Assert.That(Run(Loop(65), []), Is.Zero, "the 65th ends the program");
        Assert.That(Run("ld #1; ja 1; ret #1", []), Is.Zero, "a jump to itself");
    }

    [Test]
    public void Opcodes_the_validator_lets_through_but_the_machine_does_not_know_return_zero()
    {
        foreach (ushort code in new ushort[] { 0x08, 0x90, 0x8c, 0x21, 0x0f, 0x106 })
        {
            var program = BpfProgram.Create([new BpfInstruction(code, 0, 0, 0), new BpfInstruction(BpfOpcode.RetK, 0, 0, 9)], BpfDialect.Libpcap);
            Assert.That(BpfInterpreter.Run(program, Frames.Udp()), Is.Zero, $"0x{code:x2}");
        }
        var returnX = BpfProgram.Create([new BpfInstruction(0x0e, 0, 0, 5)], BpfDialect.Libpcap);
        Assert.That(BpfInterpreter.Run(returnX, Frames.Udp()), Is.Zero);
    }

    [Test]
    public void Vlan_auxiliary_data_is_read_only_when_present_and_only_by_ldb()
    {
        var aux = new BpfContext { VlanTci = 0x0123, VlanTagPresent = true, LibpcapVlanAuxiliaryData = true };
        Assert.That(Run("ldb [vlan_tci]; ret a", Frames.Udp(), aux), Is.EqualTo(0x0123u));
        Assert.That(Run("ldb [vlanp]; ret a", Frames.Udp(), aux), Is.EqualTo(1u));
        Assert.That(Run("ldh [vlan_tci]; ret #-1", Frames.Udp(), aux), Is.Zero);
        Assert.That(Run("ldb [vlan_tci]; ret #-1", Frames.Udp(), aux with { LibpcapVlanAuxiliaryData = false }), Is.Zero);
    }
}
