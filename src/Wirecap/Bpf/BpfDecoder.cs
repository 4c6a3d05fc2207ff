namespace Wirecap.Bpf;

/// <summary>Turns validated instructions into the interpreter's <see cref="BpfDecodedInstruction"/> form.</summary>
internal static class BpfDecoder
{
    public static BpfDecodedInstruction[] Decode(ReadOnlySpan<BpfInstruction> program)
    {
        var decoded = new BpfDecodedInstruction[program.Length];
        for (int i = 0; i < program.Length; i++)
        {
            var insn = program[i];
            // A fused run keeps its later instructions in their own slots too: other jumps may land on them.
            var op = Fuse(OpOf(insn.Code), OpAt(program, i + 1), OpAt(program, i + 2));
            decoded[i] = new BpfDecodedInstruction(op, insn.JumpTrue, insn.JumpFalse, insn.K);
        }
        return decoded;
    }

    private static BpfDecodedOp OpAt(ReadOnlySpan<BpfInstruction> program, int index) =>
        index < program.Length ? OpOf(program[index].Code) : BpfDecodedOp.Unknown;

    private static BpfDecodedOp Fuse(BpfDecodedOp first, BpfDecodedOp second, BpfDecodedOp third) => (first, second, third) switch
    {
        (BpfDecodedOp.LdAbsW, BpfDecodedOp.AndK, BpfDecodedOp.JeqK) => BpfDecodedOp.LdAbsWThenAndKThenJeqK,
        (BpfDecodedOp.LdAbsW, BpfDecodedOp.JeqK, _) => BpfDecodedOp.LdAbsWThenJeqK,
        (BpfDecodedOp.LdAbsH, BpfDecodedOp.JeqK, _) => BpfDecodedOp.LdAbsHThenJeqK,
        (BpfDecodedOp.LdAbsB, BpfDecodedOp.JeqK, _) => BpfDecodedOp.LdAbsBThenJeqK,
        (BpfDecodedOp.LdIndH, BpfDecodedOp.JeqK, _) => BpfDecodedOp.LdIndHThenJeqK,
        (BpfDecodedOp.LdAbsH, BpfDecodedOp.JsetK, _) => BpfDecodedOp.LdAbsHThenJsetK,
        (BpfDecodedOp.AndK, BpfDecodedOp.JeqK, _) => BpfDecodedOp.AndKThenJeqK,
        _ => first,
    };

    private static BpfDecodedOp OpOf(ushort code) => code switch
    {
        BpfOpcode.RetK => BpfDecodedOp.RetK,
        BpfOpcode.RetAcc => BpfDecodedOp.RetA,
        BpfOpcode.LdAbsW => BpfDecodedOp.LdAbsW,
        BpfOpcode.LdAbsH => BpfDecodedOp.LdAbsH,
        BpfOpcode.LdAbsB => BpfDecodedOp.LdAbsB,
        BpfOpcode.LdIndW => BpfDecodedOp.LdIndW,
        BpfOpcode.LdIndH => BpfDecodedOp.LdIndH,
        BpfOpcode.LdIndB => BpfDecodedOp.LdIndB,
        BpfOpcode.LdxMsh => BpfDecodedOp.LdxMsh,
        BpfOpcode.LdImm => BpfDecodedOp.LdImm,
        BpfOpcode.LdxImm => BpfDecodedOp.LdxImm,
        BpfOpcode.LdLen => BpfDecodedOp.LdLen,
        BpfOpcode.LdxLen => BpfDecodedOp.LdxLen,
        BpfOpcode.LdMem => BpfDecodedOp.LdMem,
        BpfOpcode.LdxMem => BpfDecodedOp.LdxMem,
        BpfOpcode.St => BpfDecodedOp.St,
        BpfOpcode.Stx => BpfDecodedOp.Stx,
        BpfOpcode.Ja => BpfDecodedOp.Ja,
        BpfOpcode.ClassJmp | BpfOpcode.OpJeq | BpfOpcode.SrcK => BpfDecodedOp.JeqK,
        BpfOpcode.ClassJmp | BpfOpcode.OpJgt | BpfOpcode.SrcK => BpfDecodedOp.JgtK,
        BpfOpcode.ClassJmp | BpfOpcode.OpJge | BpfOpcode.SrcK => BpfDecodedOp.JgeK,
        BpfOpcode.ClassJmp | BpfOpcode.OpJset | BpfOpcode.SrcK => BpfDecodedOp.JsetK,
        BpfOpcode.ClassJmp | BpfOpcode.OpJeq | BpfOpcode.SrcX => BpfDecodedOp.JeqX,
        BpfOpcode.ClassJmp | BpfOpcode.OpJgt | BpfOpcode.SrcX => BpfDecodedOp.JgtX,
        BpfOpcode.ClassJmp | BpfOpcode.OpJge | BpfOpcode.SrcX => BpfDecodedOp.JgeX,
        BpfOpcode.ClassJmp | BpfOpcode.OpJset | BpfOpcode.SrcX => BpfDecodedOp.JsetX,
        BpfOpcode.ClassAlu | BpfOpcode.OpAdd | BpfOpcode.SrcK => BpfDecodedOp.AddK,
        BpfOpcode.ClassAlu | BpfOpcode.OpSub | BpfOpcode.SrcK => BpfDecodedOp.SubK,
        BpfOpcode.ClassAlu | BpfOpcode.OpMul | BpfOpcode.SrcK => BpfDecodedOp.MulK,
        BpfOpcode.ClassAlu | BpfOpcode.OpDiv | BpfOpcode.SrcK => BpfDecodedOp.DivK,
        BpfOpcode.ClassAlu | BpfOpcode.OpMod | BpfOpcode.SrcK => BpfDecodedOp.ModK,
        BpfOpcode.ClassAlu | BpfOpcode.OpAnd | BpfOpcode.SrcK => BpfDecodedOp.AndK,
        BpfOpcode.ClassAlu | BpfOpcode.OpOr | BpfOpcode.SrcK => BpfDecodedOp.OrK,
        BpfOpcode.ClassAlu | BpfOpcode.OpXor | BpfOpcode.SrcK => BpfDecodedOp.XorK,
        BpfOpcode.ClassAlu | BpfOpcode.OpLsh | BpfOpcode.SrcK => BpfDecodedOp.LshK,
        BpfOpcode.ClassAlu | BpfOpcode.OpRsh | BpfOpcode.SrcK => BpfDecodedOp.RshK,
        BpfOpcode.ClassAlu | BpfOpcode.OpNeg => BpfDecodedOp.Neg,
        BpfOpcode.ClassAlu | BpfOpcode.OpAdd | BpfOpcode.SrcX => BpfDecodedOp.AddX,
        BpfOpcode.ClassAlu | BpfOpcode.OpSub | BpfOpcode.SrcX => BpfDecodedOp.SubX,
        BpfOpcode.ClassAlu | BpfOpcode.OpMul | BpfOpcode.SrcX => BpfDecodedOp.MulX,
        BpfOpcode.ClassAlu | BpfOpcode.OpDiv | BpfOpcode.SrcX => BpfDecodedOp.DivX,
        BpfOpcode.ClassAlu | BpfOpcode.OpMod | BpfOpcode.SrcX => BpfDecodedOp.ModX,
        BpfOpcode.ClassAlu | BpfOpcode.OpAnd | BpfOpcode.SrcX => BpfDecodedOp.AndX,
        BpfOpcode.ClassAlu | BpfOpcode.OpOr | BpfOpcode.SrcX => BpfDecodedOp.OrX,
        BpfOpcode.ClassAlu | BpfOpcode.OpXor | BpfOpcode.SrcX => BpfDecodedOp.XorX,
        BpfOpcode.ClassAlu | BpfOpcode.OpLsh | BpfOpcode.SrcX => BpfDecodedOp.LshX,
        BpfOpcode.ClassAlu | BpfOpcode.OpRsh | BpfOpcode.SrcX => BpfDecodedOp.RshX,
        BpfOpcode.Tax => BpfDecodedOp.Tax,
        BpfOpcode.Txa => BpfDecodedOp.Txa,
        _ => BpfDecodedOp.Unknown,
    };
}
