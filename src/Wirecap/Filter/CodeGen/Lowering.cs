namespace Wirecap.Filter.CodeGen;

/// <summary>Turns a condition tree into a block graph ending in <c>ret #snaplen</c> / <c>ret #0</c>.</summary>
internal static class Lowering
{
    public static Block Lower(Condition root, uint acceptValue)
    {
        var accept = Block.Return(acceptValue);
        var reject = Block.Return(0);
        return Lower(root, accept, reject);
    }

    private static Block Lower(Condition cond, Block whenTrue, Block whenFalse) => cond switch
    {
        ConstantCondition c => c.Value ? whenTrue : whenFalse,
        TestCondition t => Block.Branch(t.Statements, t.Jump, t.K, whenTrue, whenFalse),
        EffectCondition e => Block.Goto(e.Statements, whenTrue),
        AndCondition a => Lower(a.Left, Lower(a.Right, whenTrue, whenFalse), whenFalse),
        OrCondition o => Lower(o.Left, whenTrue, Lower(o.Right, whenTrue, whenFalse)),
        NotCondition n => Lower(n.Operand, whenFalse, whenTrue),
        GraphCondition g => g.Build(whenTrue, whenFalse),
        _ => throw new InvalidOperationException($"unknown condition {cond.GetType().Name}"),
    };
}
