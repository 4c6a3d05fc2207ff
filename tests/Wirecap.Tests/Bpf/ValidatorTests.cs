using Wirecap.Bpf;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>The kernel checker's rules (as observed with SO_ATTACH_FILTER) and libpcap 1.10.3's bpf_validate.</summary>
public sealed class ValidatorTests
{
    private static BpfValidationException? Kernel(params BpfInstruction[] program) => BpfValidator.TryValidate(program, BpfDialect.Kernel);

    private static BpfValidationException? Libpcap(params BpfInstruction[] program) => BpfValidator.TryValidate(program, BpfDialect.Libpcap);

    private static BpfInstruction I(ushort code, uint k = 0, byte jt = 0, byte jf = 0) => new(code, jt, jf, k);

    private static readonly BpfInstruction Accept = I(BpfOpcode.RetK, 0xffffffff);

    [TestCase("ld #0", -1 + 1, BpfValidationRule.MissingReturn)]
    [TestCase("ld M[0]; ret #1", 0, BpfValidationRule.ScratchReadBeforeWrite)]
    [TestCase("ld #1; jeq #1 jt 2 jf 3; st M[0]; ld M[0]; ret #1", 3, BpfValidationRule.ScratchReadBeforeWrite)]
    [TestCase("st M[16]; ret #1", 0, BpfValidationRule.ScratchIndexOutOfRange)]
    [TestCase("ldx M[16]; ret #1", 0, BpfValidationRule.ScratchIndexOutOfRange)]
    [TestCase("ja 2; ret #1", 0, BpfValidationRule.JumpOutOfRange)]
    [TestCase("ld #1; jeq #1 jt 5 jf 2; ret #1; ret #2", 1, BpfValidationRule.JumpOutOfRange)]
    [TestCase("ret #-1; ld M[3]; ret a", 1, BpfValidationRule.ScratchReadBeforeWrite)]
    [TestCase("ja 2; ret #1; ld M[5]; ret a", 2, BpfValidationRule.ScratchReadBeforeWrite)]
    [TestCase("div #0; ret #1", 0, BpfValidationRule.DivisionByZero)]
    [TestCase("mod #0; ret #1", 0, BpfValidationRule.DivisionByZero)]
    [TestCase("lsh #32; ret #1", 0, BpfValidationRule.ShiftOutOfRange)]
    [TestCase("rsh #32; ret #1", 0, BpfValidationRule.ShiftOutOfRange)]
    [TestCase("ld [-4032]; ret #1", 0, BpfValidationRule.UnknownAncillary)]
    [TestCase("ld [-1]; ret #1", 0, BpfValidationRule.UnknownAncillary)]
    [TestCase("ldh [-4095]; ret #1", 0, BpfValidationRule.UnknownAncillary)]
    [TestCase("ld #1; unimp 0x8; ret #1", 1, BpfValidationRule.UnknownOpcode)]
    public void Kernel_refuses(string program, int index, BpfValidationRule rule)
    {
        BpfValidationException? error = Kernel(Asm.Code(program));
        Assert.That(error, Is.Not.Null);
        Assert.That((error!.InstructionIndex, error.Rule), Is.EqualTo((index, rule)));
        Assert.That(error.Message, Does.Contain(rule.ToString()));
    }

    [TestCase("st M[0]; ld M[0]; ret #1")]
    [TestCase("ret #1; ld #2; ret a")]
    [TestCase("ja 2; ld M[5]; ret a")]
    [TestCase("ld #1; jeq #1 jt 2 jf 2; st M[0]; ld M[0]; ret #1")]
    [TestCase("ldb [x + 0xffffffff]; ret a")]
    [TestCase("ld [-4097]; ret a")]
    [TestCase("ld [vlan_tpid]; ld [random]; ret a")]
    public void Kernel_accepts(string program) => Assert.That(Kernel(Asm.Code(program)), Is.Null);

    [TestCase(0x08)]
    [TestCase(0x0e)]
    [TestCase(0x8c)]
    [TestCase(0x21)]
    [TestCase(0x106)]
    [TestCase(0x90)]
    public void Kernel_refuses_non_canonical_opcodes(int code) =>
        Assert.That(Kernel(I((ushort)code), Accept)?.Rule, Is.EqualTo(BpfValidationRule.UnknownOpcode));

    [Test]
    public void Kernel_length_limits()
    {
        Assert.That(Kernel()?.Rule, Is.EqualTo(BpfValidationRule.ProgramLength));
        Assert.That(Kernel(Enumerable.Repeat(Accept, 4096).ToArray()), Is.Null);
        Assert.That(Kernel(Enumerable.Repeat(Accept, 4097).ToArray())?.Rule, Is.EqualTo(BpfValidationRule.ProgramLength));
        Assert.That(Kernel(I(BpfOpcode.Ja, 0xffffffff), Accept)?.Rule, Is.EqualTo(BpfValidationRule.JumpOutOfRange));
    }

    [Test]
    public void Kernel_opcode_whitelist_has_49_entries()
    {
        int accepted = Enumerable.Range(0, 0x10000).Count(c => BpfValidator.TryValidate([I((ushort)c, 1), Accept], BpfDialect.Kernel) is not
            { Rule: BpfValidationRule.UnknownOpcode });
        Assert.That(accepted, Is.EqualTo(49));
    }

    /// <summary>The observed conversion limit: ja over 2340 × ld [1] attaches, 2341 does not; over 4094 × ld #1 it does.</summary>
    [Test]
    public void Converted_jump_limit_matches_the_live_kernel()
    {
        BpfInstruction[] Over(int n, BpfInstruction body) =>
            [I(BpfOpcode.Ja, (uint)n), .. Enumerable.Repeat(body, n), Accept];
        Assert.That(BpfValidator.CheckKernelJumpOffsets(Over(2340, I(BpfOpcode.LdAbsW, 1))), Is.Null);
        Assert.That(BpfValidator.CheckKernelJumpOffsets(Over(2341, I(BpfOpcode.LdAbsW, 1)))?.Rule, Is.EqualTo(BpfValidationRule.ConvertedJumpTooFar));
        Assert.That(BpfValidator.CheckKernelJumpOffsets(Over(4094, I(BpfOpcode.LdImm, 1))), Is.Null);
        Assert.That(BpfValidator.CheckKernelJumpOffsets(Over(4094, I(BpfOpcode.LdLen))), Is.Null);
        Assert.That(BpfValidator.CheckKernelJumpOffsets(Over(4094, I(BpfOpcode.LdxMsh, 14))), Is.Not.Null);
    }

    /// <summary>What Debian's libpcap 1.10.3 bpf_validate answered for each program (probed with a C program).</summary>
    [TestCase(0x05u, 0xffffffffu, true)]
    [TestCase(0x08u, 0u, true)]
    [TestCase(0x90u, 0u, true)]
    [TestCase(0x8cu, 0u, true)]
    [TestCase(0x64u, 33u, true)]
    [TestCase(0x34u, 0u, false)]
    [TestCase(0x3cu, 0u, true)]
    [TestCase(0x60u, 16u, false)]
    [TestCase(0x02u, 16u, false)]
    [TestCase(0x0fu, 0u, true)]
    [TestCase(0xb4u, 1u, false)]
    [TestCase(0x55u, 0u, false)]
    [TestCase(0xc0u, 0u, false)]
    [TestCase(0xe0u, 3u, false)]
    [TestCase(0x21u, 0u, true)]
    [TestCase(0x106u, 0u, true)]
    [TestCase(0x100u, 0u, true)]
    [TestCase(0x20u, 0xfffff040u, true)]
    [TestCase(0x0au, 3u, true)]
    [TestCase(0xb0u, 3u, true)]
    [TestCase(0x18u, 3u, true)]
    public void Libpcap_validate_agrees_with_libpcap_1_10_3(uint code, uint k, bool accepted) =>
        Assert.That(Libpcap(I((ushort)code, k), I(BpfOpcode.RetK, 1)) is null, Is.EqualTo(accepted));

    [Test]
    public void Libpcap_allows_backward_jumps_inside_the_program()
    {
        Assert.That(Libpcap(Accept, I(BpfOpcode.Ja, unchecked((uint)-2)), Accept), Is.Null);
        Assert.That(Libpcap(I(BpfOpcode.Ja, unchecked((uint)-2)), Accept)?.Rule, Is.EqualTo(BpfValidationRule.JumpOutOfRange));
        Assert.That(Libpcap(Accept, I(0x0e)), Is.Null, "any RET-class opcode ends a program");
        Assert.That(Libpcap(Accept, I(BpfOpcode.LdImm))?.Rule, Is.EqualTo(BpfValidationRule.MissingReturn));
        Assert.That(Libpcap(Enumerable.Repeat(Accept, 5000).ToArray()), Is.Null);
    }

    [Test]
    public void Create_throws_with_the_rule_and_index()
    {
        var error = Assert.Throws<BpfValidationException>(() => BpfProgram.Create([Accept, I(BpfOpcode.St, 20), Accept]));
        Assert.That(error!.InstructionIndex, Is.EqualTo(1));
        Assert.That(error.Rule, Is.EqualTo(BpfValidationRule.ScratchIndexOutOfRange));
        Assert.That(error.Message, Does.Contain("instruction 1"));
    }
}
