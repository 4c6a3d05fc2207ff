using Wirecap.Bpf;

namespace Wirecap.Filter.CodeGen;

/// <summary>
/// A Boolean condition over a packet, built by the primitive generators and lowered to a block graph.
/// Keeping conditions as a tree (rather than back-patched blocks) lets <c>and</c>/<c>or</c>/<c>not</c>
/// be plain constructors and constants fold as they are built.
/// </summary>
internal abstract class Condition
{
    public static readonly Condition True = new ConstantCondition(true);
    public static readonly Condition False = new ConstantCondition(false);

    public static Condition And(Condition left, Condition right) => (left, right) switch
    {
        (ConstantCondition { Value: false }, _) => False,
        (ConstantCondition { Value: true }, _) => right,
        (_, ConstantCondition { Value: true }) => left,
        _ => new AndCondition(left, right),
    };

    public static Condition Or(Condition left, Condition right) => (left, right) switch
    {
        (ConstantCondition { Value: true }, _) => True,
        (ConstantCondition { Value: false }, _) => right,
        (_, ConstantCondition { Value: false }) => left,
        _ => new OrCondition(left, right),
    };

    public static Condition Not(Condition operand) => operand switch
    {
        ConstantCondition c => c.Value ? False : True,
        NotCondition n => n.Operand,
        _ => new NotCondition(operand),
    };

    public static Condition All(params Condition[] parts) => parts.Aggregate(True, And);

    public static Condition Any(params Condition[] parts) => parts.Aggregate(False, Or);

    /// <summary>Runs <paramref name="statements"/>, then tests A (or X) against k with <paramref name="jump"/>.</summary>
    public static Condition Test(IEnumerable<BpfInstruction> statements, ushort jump, uint k) =>
        new TestCondition(statements.ToArray(), jump, k);

    /// <summary>Statements run for their effect on registers and scratch memory; always true.</summary>
    public static Condition Effect(IEnumerable<BpfInstruction> statements) => new EffectCondition(statements.ToArray());
}

internal sealed class ConstantCondition(bool value) : Condition
{
    public bool Value { get; } = value;
}

internal sealed class AndCondition(Condition left, Condition right) : Condition
{
    public Condition Left { get; } = left;
    public Condition Right { get; } = right;
}

internal sealed class OrCondition(Condition left, Condition right) : Condition
{
    public Condition Left { get; } = left;
    public Condition Right { get; } = right;
}

internal sealed class NotCondition(Condition operand) : Condition
{
    public Condition Operand { get; } = operand;
}

internal sealed class TestCondition(BpfInstruction[] statements, ushort jump, uint k) : Condition
{
    public BpfInstruction[] Statements { get; } = statements;
    /// <summary>Complete jump opcode (class, operation and K/X source).</summary>
    public ushort Jump { get; } = jump;
    public uint K { get; } = k;
}

internal sealed class EffectCondition(BpfInstruction[] statements) : Condition
{
    public BpfInstruction[] Statements { get; } = statements;
}

/// <summary>A hand-built subgraph (loops such as protochain's header walk) given its two exits.</summary>
internal sealed class GraphCondition(Func<Block, Block, Block> build) : Condition
{
    public Func<Block, Block, Block> Build { get; } = build;
}
