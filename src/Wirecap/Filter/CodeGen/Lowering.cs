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

    /// <summary>
    /// Lowers the right operand first (the left one jumps into it), then goes on down the left
    /// operand in a loop: <c>and</c>/<c>or</c> chains are left spines as deep as they are long.
    /// </summary>
    private static Block Lower(Condition cond, Block whenTrue, Block whenFalse)
    {
        while (true)
        {
            switch (cond)
            {
                case AndCondition a:
                    whenTrue = Lower(a.Right, whenTrue, whenFalse);
                    cond = a.Left;
                    break;
                case OrCondition o:
                    whenFalse = Lower(o.Right, whenTrue, whenFalse);
                    cond = o.Left;
                    break;
                case NotCondition n:
                    (whenTrue, whenFalse) = (whenFalse, whenTrue);
                    cond = n.Operand;
                    break;
                case ConstantCondition c:
                    return c.Value ? whenTrue : whenFalse;
                case TestCondition t:
                    return Block.Branch(t.Statements, t.Jump, t.K, whenTrue, whenFalse);
                case EffectCondition e:
                    return Block.Goto(e.Statements, whenTrue);
                case GraphCondition g:
                    return g.Build(whenTrue, whenFalse);
                default:
                    throw new InvalidOperationException($"unknown condition {cond.GetType().Name}");
            }
        }
    }
}
