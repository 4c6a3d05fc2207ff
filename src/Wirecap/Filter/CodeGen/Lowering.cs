namespace Wirecap.Filter.CodeGen;

/// <summary>Turns a condition tree into a block graph ending in <c>ret #snaplen</c> / <c>ret #0</c>.</summary>
internal static class Lowering
{
    public static Block Lower(Cond root, uint acceptValue)
    {
        var accept = Block.Return(acceptValue);
        var reject = Block.Return(0);
        return Lower(root, accept, reject);
    }

    private static Block Lower(Cond cond, Block whenTrue, Block whenFalse) => cond switch
    {
        ConstCond c => c.Value ? whenTrue : whenFalse,
        TestCond t => Block.Branch(t.Statements, t.Jump, t.K, whenTrue, whenFalse),
        EffectCond e => Block.Goto(e.Statements, whenTrue),
        AndCond a => Lower(a.Left, Lower(a.Right, whenTrue, whenFalse), whenFalse),
        OrCond o => Lower(o.Left, whenTrue, Lower(o.Right, whenTrue, whenFalse)),
        NotCond n => Lower(n.Operand, whenFalse, whenTrue),
        GraphCond g => g.Build(whenTrue, whenFalse),
        _ => throw new InvalidOperationException($"unknown condition {cond.GetType().Name}"),
    };
}
