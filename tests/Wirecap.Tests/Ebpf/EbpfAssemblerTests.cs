using Wirecap.Ebpf;
using NUnit.Framework;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Tests.Ebpf;

/// <summary>The assembler's bytes against encodings taken from the kernel's own headers and from
/// <c>llvm-objdump</c>/<c>bpftool prog dump xlated opcodes</c> listings; labels and their errors.</summary>
[TestFixture]
public class EbpfAssemblerTests
{
    private static string Hex(EbpfCode code) => Convert.ToHexString(EbpfInstruction.AsBytes(code.Instructions)).ToLowerInvariant();

    [Test]
    public void Encodes_each_instruction_kind_in_bpf_insn_layout()
    {
        var asm = new EbpfAssembler();
        asm.Mov64(R6, R1)                                   // bf 16 0000 00000000
           .Load(EbpfSize.Word, R2, R6, SkBuffField.Data)   // 61 62 4c00 00000000
           .Mov32(R0, -1)                                   // b4 00 0000 ffffffff
           .Alu64(EbpfAluOp.Add, R3, 14)                    // 07 03 0000 0e000000
           .Store(EbpfSize.Word, R10, -4, R2)               // 63 2a fcff 00000000
           .StoreImmediate(EbpfSize.Double, R10, -16, 0)    // 7a 0a f0ff 00000000
           .ToBigEndian(R2, 16)                             // dc 02 0000 10000000
           .Call(EbpfHelper.RingbufReserve)                 // 85 00 0000 83000000
           .LoadImmediate64(R1, 0x1122334455667788)         // 18 01 0000 88776655 / 00 00 0000 44332211
           .Exit();                                         // 95 00 0000 00000000
        Assert.That(Hex(asm.Build()), Is.EqualTo(
            "bf16000000000000" + "61624c0000000000" + "b4000000ffffffff" + "070300000e000000" +
            "632afcff00000000" + "7a0af0ff00000000" + "dc02000010000000" + "8500000083000000" +
            "1801000088776655" + "0000000044332211" + "9500000000000000"));
    }

    [Test]
    public void Resolves_forward_and_backward_labels_relative_to_the_next_instruction()
    {
        var asm = new EbpfAssembler();
        var top = asm.DefineLabel();
        var end = asm.DefineLabel();
        asm.Mark(top)
           .Jump32(EbpfJumpOp.Greater, R2, 5, end)    // 0: 26 02 0200 05000000 → pc+2
           .Jump(EbpfJumpOp.Equal, R3, R4, top)       // 1: 1d 43 feff 00000000 → pc-2
           .Jump(top)                                 // 2: 05 00 fdff 00000000 → pc-3
           .Mark(end)
           .Exit();
        Assert.That(Hex(asm.Build()), Is.EqualTo("2602020005000000" + "1d43feff00000000" + "0500fdff00000000" + "9500000000000000"));
    }

    [Test]
    public void A_label_never_placed_is_refused_by_number()
    {
        var asm = new EbpfAssembler();
        var nowhere = asm.DefineLabel();
        asm.Jump(nowhere).Exit();
        var e = Assert.Throws<EbpfAssemblyException>(() => asm.Build());
        Assert.That(e!.Message, Does.Contain("label 0").And.Contain("never placed"));
    }

    [Test]
    public void A_label_placed_twice_is_refused()
    {
        var asm = new EbpfAssembler();
        var l = asm.DefineLabel();
        asm.Mark(l).Exit();
        Assert.Throws<EbpfAssemblyException>(() => asm.Mark(l));
    }

    [Test]
    public void Bytes_round_trip_through_the_kernel_layout()
    {
        var insn = new EbpfInstruction(0x61, R2, R6, 76, 0);
        Assert.That(insn.Destination, Is.EqualTo(R2));
        Assert.That(insn.Source, Is.EqualTo(R6));
        var bytes = EbpfInstruction.AsBytes([insn]).ToArray();
        Assert.That(bytes, Is.EqualTo(new byte[] { 0x61, 0x62, 0x4c, 0, 0, 0, 0, 0 }));
        Assert.That(EbpfInstruction.FromBytes(bytes), Is.EqualTo(new[] { insn }));
        Assert.Throws<ArgumentException>(() => EbpfInstruction.FromBytes(new byte[7]));
    }
}
