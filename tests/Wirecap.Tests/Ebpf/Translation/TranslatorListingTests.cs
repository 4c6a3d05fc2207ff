using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Translation;
using Wirecap.Tests.Bpf;
using NUnit.Framework;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Tests.Ebpf.Translation;

/// <summary>The shape of translated code, without a kernel: the golden listing of a small filter, dead code left out,
/// the inputs of the register contract refused when they would be clobbered.</summary>
[TestFixture]
public class TranslatorListingTests
{
    [Test]
    public void A_small_filter_translates_to_the_expected_listing()
    {
        // "ip and udp": a guard per region that needs more bytes than proven, the compares as JMP32 jumping to the
        // reject exit for ret #0, the clamp of the result to len, one exit.
        var program = Asm.Kernel("ldh [12]; jeq #0x800 jt 2 jf 5; ldb [23]; jeq #17 jt 4 jf 5; ret #65535; ret #0");
        Assert.That(CbpfTranslator.BuildClassifier(program).ToString(), Is.EqualTo("""
            0: (bf) r6 = r1
            1: (61) r4 = *(u32 *)(r6 +76)
            2: (61) r5 = *(u32 *)(r6 +80)
            3: (b4) w2 = 0
            4: (b4) w3 = 0
            5: (bf) r1 = r4
            6: (07) r1 += 14
            7: (2d) if r1 > r5 goto pc+13
            8: (69) r2 = *(u16 *)(r4 +12)
            9: (dc) r2 = be16 r2
            10: (56) if w2 != 0x800 goto pc+10
            11: (bf) r1 = r4
            12: (07) r1 += 24
            13: (2d) if r1 > r5 goto pc+7
            14: (71) r2 = *(u8 *)(r4 +23)
            15: (56) if w2 != 0x11 goto pc+5
            16: (b4) w0 = 65535
            17: (61) r1 = *(u32 *)(r6 +0)
            18: (be) if w0 <= w1 goto pc+3
            19: (bc) w0 = w1
            20: (05) goto pc+1
            21: (b4) w0 = 0
            22: (95) exit

            """));
    }

    [Test]
    public void Loads_of_one_block_share_one_guard()
    {
        // Four loads up to byte 38 in one block: one guard of 38 bytes.
        var program = Asm.Kernel("ldh [12]; ld [26]; ldb [23]; ldh [36]; ret a");
        var text = CbpfTranslator.BuildClassifier(program).ToString();
        Assert.That(Count(text, "if r1 > r5"), Is.EqualTo(1), text);
        Assert.That(text, Does.Contain("r1 += 38"));
    }

    [Test]
    public void Dead_code_and_what_follows_a_certain_failure_are_not_emitted()
    {
        // Instruction 2 is dead (the kernel's checker allows it); ld [0x10000] fails on every packet, so what follows it
        // in its block is dead too. The verifier refuses unreachable instructions, so none may be emitted.
        var program = Asm.Kernel("ja 3; ld #7; ret a; ldb [0]; jeq #1 jt 5 jf 7; ld [65536]; ret a; ret #3");
        var text = CbpfTranslator.BuildClassifier(program).ToString();
        Assert.That(text, Does.Not.Contain("w2 = 7"));
        Assert.That(text, Does.Not.Contain("65536"));
        Assert.That(text, Does.Contain("w0 = 3"));
    }

    [Test]
    public void Fragment_inputs_must_be_in_the_registers_it_does_not_clobber()
    {
        var program = BpfProgram.Accept();
        var e = Assert.Throws<ArgumentException>(() => CbpfTranslator.EmitDirect(new EbpfAssembler(), program, R1));
        Assert.That(e!.Message, Does.Contain("R6–R9"));
        Assert.Throws<ArgumentException>(() => CbpfTranslator.EmitCopied(new EbpfAssembler(), program, new CbpfCopiedPacket(R7, R7, R8, 64)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CbpfTranslator.EmitDirect(new EbpfAssembler(), program, R6, scratchBase: -32));
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;
}
