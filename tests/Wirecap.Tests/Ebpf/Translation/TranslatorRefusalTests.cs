using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Translation;
using Wirecap.Tests.Bpf;
using NUnit.Framework;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Tests.Ebpf.Translation;

/// <summary>What the translation refuses, by name, and what the verifier's refusal of a misused fragment looks like.</summary>
[TestFixture]
public class TranslatorRefusalTests
{
    [TestCase("ld [cpu]", "SKF_AD_CPU")]
    [TestCase("ld [random]", "SKF_AD_RANDOM")]
    [TestCase("ld [hatype]", "SKF_AD_HATYPE")]
    [TestCase("ld [poff]", "SKF_AD_PAY_OFFSET")]
    [TestCase("ld [nla]", "SKF_AD_NLATTR")]
    [TestCase("ld [nlan]", "SKF_AD_NLATTR_NEST")]
    public void An_ancillary_load_the_tc_hook_lacks_is_refused_by_name(string load, string name)
    {
        var program = Asm.Kernel($"ld #1; {load}; ret a");
        var e = Assert.Throws<CbpfTranslationException>(() => CbpfTranslator.BuildClassifier(program));
        Assert.That(e!.Message, Does.Contain(name).And.Contain("TC hook").And.Contain("instruction 1"));
        Assert.That(e.ProgramCounter, Is.EqualTo(1));
    }

    [Test]
    public void A_copied_packet_refuses_every_ancillary_load_but_xor_x()
    {
        var packet = new CbpfCopiedPacket(R7, R8, R9, 128);
        var e = Assert.Throws<CbpfTranslationException>(() =>
            CbpfTranslator.EmitCopied(new EbpfAssembler(), Asm.Kernel("ldh [proto]; ret a"), packet));
        Assert.That(e!.Message, Does.Contain("SKF_AD_PROTOCOL").And.Contain("copied packet"));
        Assert.DoesNotThrow(() => CbpfTranslator.EmitCopied(new EbpfAssembler(), Asm.Kernel("ldx #3; ld [xor_x]; ret a"), packet));
    }

    [Test]
    public void A_load_relative_to_the_network_header_is_refused()
    {
        var program = BpfProgram.Create([BpfInstruction.Statement(BpfOpcode.LdAbsB, unchecked((uint)(BpfAncillary.NetOffset + 9))), BpfInstruction.Statement(BpfOpcode.RetAcc)]);
        var e = Assert.Throws<CbpfTranslationException>(() => CbpfTranslator.BuildClassifier(program));
        Assert.That(e!.Message, Does.Contain("SKF_NET_OFF"));
    }

    [Test]
    public void A_libpcap_program_the_kernel_would_refuse_is_refused()
    {
        // A backward jump: libpcap runs it, the kernel's checker (and so a translation) does not.
        var program = BpfProgram.Create([BpfInstruction.Statement(BpfOpcode.LdImm, 1), BpfInstruction.Statement(BpfOpcode.Ja, unchecked((uint)-2)),
            BpfInstruction.Statement(BpfOpcode.RetAcc)], BpfDialect.Libpcap);
        var e = Assert.Throws<CbpfTranslationException>(() => CbpfTranslator.BuildClassifier(program));
        Assert.That(e!.Message, Does.Contain("kernel's checker"));
    }

    [Test]
    public void A_fragment_the_verifier_refuses_surfaces_the_verifiers_log()
    {
        EbpfTestSupport.RequireBpf();
        // The contract broken: R7 holds a number, not the context, so the fragment's first context load is refused.
        var asm = new EbpfAssembler();
        asm.Mov64(R7, 42);
        CbpfTranslator.EmitDirect(asm, Asm.Kernel("ldh [12]; ret a"), R7);
        asm.Exit();
        var e = Assert.Throws<EbpfVerifierException>(() => EbpfTestSupport.LoadClassifier(asm.Build()));
        Assert.That(e!.Message, Does.Contain("R7 invalid mem access 'scalar'"));
        Assert.That(e.VerifierLog, Does.Contain("r4 = *(u32 *)(r7 +76)"));
    }
}
