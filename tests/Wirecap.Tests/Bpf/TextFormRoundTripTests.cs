using Wirecap.Bpf;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>Every text form reads back to what was printed (FsCheck over random programs).</summary>
public sealed class TextFormRoundTripTests
{
    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_ITERATIONS"), out int n) ? n : 300;

    private static readonly Gen<BpfInstruction> AnyInstruction =
        from code in Gen.Frequency((3, Gen.Elements(KernelOpcodes())), (1, Gen.Choose(0, 0x1ff).Select(c => (ushort)c)))
        from jt in Gen.Choose(0, 255)
        from jf in Gen.Choose(0, 255)
        from k in Gen.Frequency((2, Gen.Choose(-20, 300).Select(v => (uint)v)), (1, ArbMap.Default.GeneratorFor<uint>()),
            (1, Gen.Choose(0, 0x50).Select(v => 0xfffff000u + (uint)v)))
        select new BpfInstruction(code, (byte)jt, (byte)jf, k);

    private static readonly Gen<BpfInstruction[]> AnyProgram =
        Gen.NonEmptyListOf(AnyInstruction).Select(list => list.ToArray());

    private static ushort[] KernelOpcodes() =>
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x14, 0x15, 0x16, 0x1c, 0x1d, 0x20, 0x24, 0x25, 0x28, 0x2c, 0x2d,
         0x30, 0x34, 0x35, 0x3c, 0x3d, 0x40, 0x44, 0x45, 0x48, 0x4c, 0x4d, 0x50, 0x54, 0x5c, 0x60, 0x61, 0x64, 0x6c, 0x74, 0x7c,
         0x80, 0x81, 0x84, 0x87, 0x94, 0x9c, 0xa4, 0xac, 0xb1];

    private static void Check(Func<BpfInstruction[], bool> property) =>
        Prop.ForAll(AnyProgram.ToArbitrary(), property)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Iterations));

    [TestCase(BpfTextFormat.CArray)]
    [TestCase(BpfTextFormat.Decimal)]
    public void Lossless_forms_round_trip_exactly(BpfTextFormat format) =>
        Check(program => BpfAssembler.Parse(BpfDisassembler.Format(program, format)).SequenceEqual(program));

    [Test]
    public void Listing_round_trips_as_text() =>
        Check(program =>
        {
            string listing = BpfDisassembler.Format(program, BpfTextFormat.Listing);
            return BpfDisassembler.Format(BpfAssembler.Parse(listing), BpfTextFormat.Listing) == listing;
        });

    [Test]
    public void Listing_round_trips_instructions_that_carry_no_ignored_fields() =>
        Check(program =>
        {
            BpfInstruction[] canonical = program.Select(Canonical).ToArray();
            return BpfAssembler.Parse(BpfDisassembler.Format(canonical, BpfTextFormat.Listing)).SequenceEqual(canonical);
        });

    /// <summary>The instruction with the fields the -d listing does not show set to 0.</summary>
    private static BpfInstruction Canonical(BpfInstruction insn)
    {
        ushort code = insn.Code;
        bool conditional = (code & 7) == BpfOpcode.ClassJmp && (code & 0xf0) != 0;
        bool known = code is < 0x100 && BpfDisassembler.FormatInstruction(insn, 0).Contains("unimp") is false;
        bool usesK = known && code is not (BpfOpcode.RetAcc or BpfOpcode.LdLen or BpfOpcode.Tax or BpfOpcode.Txa or 0x84)
            && !((code & 7) is BpfOpcode.ClassAlu or BpfOpcode.ClassJmp && (code & BpfOpcode.SrcX) != 0);
        return new BpfInstruction(code, conditional ? insn.JumpTrue : (byte)0, conditional ? insn.JumpFalse : (byte)0,
            usesK ? insn.K : 0);
    }
}
