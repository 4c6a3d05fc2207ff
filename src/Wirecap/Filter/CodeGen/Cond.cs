using Wirecap.Bpf;

namespace Wirecap.Filter.CodeGen;

/// <summary>
/// A Boolean condition over a packet, built by the primitive generators and lowered to a block graph.
/// Keeping conditions as a tree (rather than back-patched blocks) lets <c>and</c>/<c>or</c>/<c>not</c>
/// be plain constructors and constants fold as they are built.
/// </summary>
internal abstract class Cond
{
    public static readonly Cond True = new ConstCond(true);
    public static readonly Cond False = new ConstCond(false);

    public static Cond And(Cond left, Cond right) => (left, right) switch
    {
        (ConstCond { Value: false }, _) => False,
        (ConstCond { Value: true }, _) => right,
        (_, ConstCond { Value: true }) => left,
        _ => new AndCond(left, right),
    };

    public static Cond Or(Cond left, Cond right) => (left, right) switch
    {
        (ConstCond { Value: true }, _) => True,
        (ConstCond { Value: false }, _) => right,
        (_, ConstCond { Value: false }) => left,
        _ => new OrCond(left, right),
    };

    public static Cond Not(Cond operand) => operand switch
    {
        ConstCond c => c.Value ? False : True,
        NotCond n => n.Operand,
        _ => new NotCond(operand),
    };

    public static Cond All(params Cond[] parts) => parts.Aggregate(True, And);

    public static Cond Any(params Cond[] parts) => parts.Aggregate(False, Or);

    /// <summary>Runs <paramref name="statements"/>, then tests A (or X) against k with <paramref name="jump"/>.</summary>
    public static Cond Test(IEnumerable<BpfInstruction> statements, ushort jump, uint k) =>
        new TestCond(statements.ToArray(), jump, k);

    /// <summary>Statements run for their effect on registers and scratch memory; always true.</summary>
    public static Cond Effect(IEnumerable<BpfInstruction> statements) => new EffectCond(statements.ToArray());
}

internal sealed class ConstCond(bool value) : Cond
{
    public bool Value { get; } = value;
}

internal sealed class AndCond(Cond left, Cond right) : Cond
{
    public Cond Left { get; } = left;
    public Cond Right { get; } = right;
}

internal sealed class OrCond(Cond left, Cond right) : Cond
{
    public Cond Left { get; } = left;
    public Cond Right { get; } = right;
}

internal sealed class NotCond(Cond operand) : Cond
{
    public Cond Operand { get; } = operand;
}

internal sealed class TestCond(BpfInstruction[] statements, ushort jump, uint k) : Cond
{
    public BpfInstruction[] Statements { get; } = statements;
    /// <summary>Complete jump opcode (class, operation and K/X source).</summary>
    public ushort Jump { get; } = jump;
    public uint K { get; } = k;
}

internal sealed class EffectCond(BpfInstruction[] statements) : Cond
{
    public BpfInstruction[] Statements { get; } = statements;
}

/// <summary>A hand-built subgraph (loops such as protochain's header walk) given its two exits.</summary>
internal sealed class GraphCond(Func<Block, Block, Block> build) : Cond
{
    public Func<Block, Block, Block> Build { get; } = build;
}
