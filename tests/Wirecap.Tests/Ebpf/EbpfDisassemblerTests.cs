using Wirecap.Ebpf;
using NUnit.Framework;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Tests.Ebpf;

/// <summary>The disassembler prints what the kernel's verifier log prints for the same instructions
/// (<c>kernel/bpf/disasm.c</c> formats; lines checked against this kernel's log in
/// <see cref="EbpfProgramTests.The_verifier_log_prints_instructions_as_the_disassembler_does"/>).</summary>
[TestFixture]
public class EbpfDisassemblerTests
{
    [Test]
    public void Prints_the_verifier_log_form()
    {
        var asm = new EbpfAssembler();
        var l = asm.DefineLabel();
        asm.Mov64(R6, R1)
           .Load(EbpfSize.Word, R2, R6, SkBuffField.Data)
           .Mov32(R0, -1)
           .Alu64(EbpfAluOp.Add, R3, 14)
           .Alu32(EbpfAluOp.Lsh, R2, R3)
           .Store(EbpfSize.Half, R10, -4, R2)
           .StoreImmediate(EbpfSize.Double, R10, -16, 0)
           .ToBigEndian(R2, 16)
           .Alu64(EbpfAluOp.Neg, R4, 0)
           .Jump32(EbpfJumpOp.Greater, R2, 5, l)
           .Jump(EbpfJumpOp.SignedLessOrEqual, R3, R8, l)
           .Jump(l)
           .Call(EbpfHelper.RingbufReserve)
           .LoadImmediate64(R1, 0x1122334455667788)
           .Mark(l)
           .Exit();
        Assert.That(asm.Build().ToString(), Is.EqualTo(
            "0: (bf) r6 = r1\n" +
            "1: (61) r2 = *(u32 *)(r6 +76)\n" +
            "2: (b4) w0 = -1\n" +
            "3: (07) r3 += 14\n" +
            "4: (6c) w2 <<= w3\n" +
            "5: (6b) *(u16 *)(r10 -4) = r2\n" +
            "6: (7a) *(u64 *)(r10 -16) = 0\n" +
            "7: (dc) r2 = be16 r2\n" +
            "8: (87) r4 = -r4\n" +
            "9: (26) if w2 > 0x5 goto pc+5\n" +
            "10: (dd) if r3 s<= r8 goto pc+4\n" +
            "11: (05) goto pc+3\n" +
            "12: (85) call bpf_ringbuf_reserve#131\n" +
            "13: (18) r1 = 0x1122334455667788\n" +
            "15: (95) exit\n"));
    }

    [Test]
    public void Map_references_show_the_descriptor()
    {
        var insns = new[]
        {
            new EbpfInstruction(0x18, R1, (EbpfRegister)EbpfOpcode.PseudoMapFd, 0, 7),
            new EbpfInstruction(0, 0, 0, 0, 0),
        };
        Assert.That(EbpfDisassembler.Format(insns), Is.EqualTo("0: (18) r1 = map[fd:7]\n"));
    }
}
