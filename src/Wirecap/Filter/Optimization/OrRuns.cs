using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// The one outcome of jump threading that an <c>or</c> chain makes expensive, known without exploring it. In a run of
/// tests without statements whose true sides all return (<c>port 0 or port 1 or …</c> after the chain pull-up), the
/// exploration from an edge into the run follows the false sides down to the depth limit and finds that the paths part
/// ways, so the edge stays where it is; doing that from every edge cost about 25 blocks per edge in every round.
/// </summary>
/// <remarks>
/// Why the outcome is certain: with no statements the run tests one value A throughout, and along false sides only
/// false outcomes are learned, so no test of the run can be decided true when the edge's state knows nothing that
/// holds true for A (no true outcome, no constant, no set of possible constants). Every true side is then a return and
/// every explored false side ends in a block of the run at the depth limit, which is not that return, so no test of
/// the run has both sides meeting; the edge's own test, undecided, keeps the edge. The run must reach past the depth
/// limit so the exploration never leaves it, and the exploration from depth 0 never runs out of budget within it.
/// </remarks>
internal sealed class OrRuns
{
    private readonly Dictionary<Block, int> _lengths = new();

    /// <summary>The run blocks of <paramref name="order"/> (a topological order), each with the run's length from it.</summary>
    public OrRuns(List<Block> order)
    {
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var b = order[i];
            if (IsRunBlock(b))
                _lengths[b] = 1 + _lengths.GetValueOrDefault(b.False!);
        }
    }

    private static bool IsRunBlock(Block b) =>
        b.End == BlockEnd.Branch && b.Statements.Count == 0 && b.True!.End == BlockEnd.Return && b.True.Statements.Count == 0 && b.False != b.True;

    /// <summary>
    /// Whether exploring the edge into <paramref name="block"/> from depth 0 with <paramref name="state"/> (nothing on
    /// its trail) is certain to leave the edge as it is.
    /// </summary>
    public bool KeepsEdge(Block block, ValueState state, ValueTable values, int depthLimit)
    {
        // Blocks at depths 0 to depthLimit are explored and the one after them is reached: all in the run.
        if (_lengths.GetValueOrDefault(block) < depthLimit + 2)
            return false;
        var a = state.A;
        if (values.TryGetConstant(a, out _) || state.Possible.ContainsKey(a) || state.HeldFor.ContainsKey(a))
            return false;
        return JumpEvaluator.Decide(values, state, block.Jump, block.K) is null;
    }
}
