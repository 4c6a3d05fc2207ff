using System.Runtime.CompilerServices;
using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// The one outcome of jump threading that an <c>or</c> chain makes expensive, known without exploring it. In a run of
/// tests whose true sides all return (<c>port 0 or port 1 or …</c> after the chain pull-up), the
/// exploration from an edge into the run follows the false sides down to the depth limit and finds that the paths part
/// ways, so the edge stays where it is; doing that from every edge cost about 25 blocks per edge in every round.
/// </summary>
/// <remarks>
/// Why the outcome is certain: the run's blocks only load A, so each tests the value its load gives (or A's value on
/// entry when it loads nothing) and X and M[] stay as they are; along false sides only
/// false outcomes are learned, so no test of the run can be decided true when the edge's state knows nothing that
/// holds true for any of these values (no true outcome, no constant, no set of possible constants). Every true side is then a return and
/// every explored false side ends in a block of the run at the depth limit, which is not that return, so no test of
/// the run has both sides meeting; the edge's own test, undecided, keeps the edge. The run must reach past the depth
/// limit so the exploration never leaves it, and the exploration from depth 0 never runs out of budget within it.
/// </remarks>
internal sealed class OrRuns
{
    /// <summary>Per run block: the run's length from it, the loads its blocks make (at most <see cref="MaxLoads"/>), whether some block has none.</summary>
    private readonly Dictionary<Block, (int Length, BpfInstruction[] Loads, bool SomeEmpty)> _runs = new();

    private const int MaxLoads = 4;

    /// <summary>The run blocks of <paramref name="order"/> (a topological order), each with what the run holds from it.</summary>
    public OrRuns(List<Block> order)
    {
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var b = order[i];
            if (!IsRunBlock(b))
                continue;
            var (length, loads, someEmpty) = _runs.TryGetValue(b.False!, out var next) ? next : (0, [], false);
            if (b.Statements.Count == 0)
                someEmpty = true;
            else if (!loads.Contains(b.Statements[0]))
                loads = [.. loads, b.Statements[0]];
            // A run whose blocks load many different values is not worth checking value by value: it ends here.
            _runs[b] = loads.Length <= MaxLoads ? (length + 1, loads, someEmpty) : (1, [b.Statements[0]], false);
        }
    }

    /// <summary>
    /// A test whose true side returns, after no statement or one load into A: along a run the value tested is the one
    /// the block loads, or the one A held before it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsRunBlock(Block b) =>
        b.End == BlockEnd.Branch && b.True!.End == BlockEnd.Return && b.True.Statements.Count == 0 && b.False != b.True
        && (b.Statements.Count == 0 || (b.Statements.Count == 1 && (b.Statements[0].Code & 0x07) == BpfOpcode.ClassLd));

    /// <summary>
    /// Whether exploring the edge into <paramref name="block"/> from depth 0 with <paramref name="state"/> (nothing on
    /// its trail) is certain to leave the edge as it is. The state is as it was on return.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool KeepsEdge(Block block, ValueState state, ValueTable values, StatementSimplifier simplifier, int depthLimit)
    {
        // Blocks at depths 0 to depthLimit are explored and the one after them is reached: all in the run.
        if (!_runs.TryGetValue(block, out var run) || run.Length < depthLimit + 2)
            return false;
        var a = state.A;
        var keeps = !run.SomeEmpty || NothingHolds(state.A, state, values);
        foreach (var load in run.Loads)
        {
            if (!keeps)
                break;
            simplifier.Simulate(state, [load], out _);
            keeps = NothingHolds(state.A, state, values);
            state.A = a;
        }
        if (keeps)
        {
            simplifier.Simulate(state, block.Statements, out _);
            keeps = JumpEvaluator.Decide(values, state, block.Jump, block.K) is null;
        }
        state.A = a;
        return keeps;
    }

    /// <summary>No test of <paramref name="value"/> can be decided true: no true outcome, no constant, no set of possible ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool NothingHolds(int value, ValueState state, ValueTable values) =>
        !values.TryGetConstant(value, out _) && !state.Possible.ContainsKey(value) && !state.HeldFor.ContainsKey(value);
}
