using Capture.Filter.CodeGen;

namespace Capture.Filter.Optimization;

/// <summary>
/// One forward sweep in topological order: simplifies each block's statements under what holds on
/// every path into it, decides jumps whose outcome is already known, and threads edges past
/// blocks whose test is decided on that edge without loading anything new.
/// </summary>
internal sealed class ForwardPass
{
    private readonly ValueTable _values = new();
    private readonly StatementSimplifier _simplifier;
    private readonly Dictionary<(Block From, bool Side), ValueState> _edges = new();

    public ForwardPass() => _simplifier = new StatementSimplifier(_values);

    public bool Run(List<Block> order)
    {
        var changed = false;
        var predecessors = BlockGraph.Predecessors(order);
        foreach (var block in order)
        {
            var incoming = predecessors[block].SelectMany(p => EdgeStates(p, block)).ToList();
            var state = incoming.Count == 0 ? ValueState.Entry(_values) : ValueState.Meet(_values, incoming);
            var simplified = _simplifier.Run(state, block.Statements, out _);
            if (simplified.Count != block.Statements.Count || !simplified.SequenceEqual(block.Statements))
            {
                block.Statements = simplified;
                changed = true;
            }
            if (block.End == BlockEnd.Branch && JumpEvaluator.Decide(_values, state, block.Jump, block.K) is { } outcome)
            {
                block.End = BlockEnd.Always;
                block.True = outcome ? block.True : block.False;
                block.False = null;
                changed = true;
            }
            Record(block, state);
        }
        return changed | Thread(order);
    }

    private IEnumerable<ValueState> EdgeStates(Block from, Block to)
    {
        if (from.True == to && _edges.TryGetValue((from, true), out var t))
            yield return t;
        if (from.End == BlockEnd.Branch && from.False == to && _edges.TryGetValue((from, false), out var f))
            yield return f;
    }

    private void Record(Block block, ValueState state)
    {
        if (block.End == BlockEnd.Always)
        {
            _edges[(block, true)] = state;
        }
        else if (block.End == BlockEnd.Branch)
        {
            var whenTrue = state.Clone();
            JumpEvaluator.Learn(_values, whenTrue, block.Jump, block.K, true);
            var whenFalse = state;
            JumpEvaluator.Learn(_values, whenFalse, block.Jump, block.K, false);
            _edges[(block, true)] = whenTrue;
            _edges[(block, false)] = whenFalse;
        }
    }

    /// <summary>
    /// Retargets an edge P→B to B's decided successor S when, along that edge, B loads nothing new,
    /// its test is decided, and S does not read what B's statements define.
    /// </summary>
    private bool Thread(List<Block> order)
    {
        var liveIn = Liveness.LiveIn(order);
        var changed = false;
        foreach (var p in order)
        {
            foreach (var side in new[] { true, false })
            {
                if (p.End == BlockEnd.Return || (!side && p.End != BlockEnd.Branch))
                    continue;
                if (!_edges.TryGetValue((p, side), out var state))
                    continue;
                var current = side ? p.True : p.False;
                var target = current!;
                var walk = current!;
                var defines = 0;
                for (var hops = 0; hops < 64 && walk.End == BlockEnd.Branch; hops++)
                {
                    var simulated = state.Clone();
                    _simplifier.Run(simulated, walk.Statements, out var loadsPacket);
                    if (loadsPacket || JumpEvaluator.Decide(_values, simulated, walk.Jump, walk.K) is not { } outcome)
                        break;
                    JumpEvaluator.Learn(_values, simulated, walk.Jump, walk.K, outcome);
                    state = simulated;
                    defines |= walk.Statements.Aggregate(0, (d, s) => d | Registers.Of(s).Defines);
                    walk = outcome ? walk.True! : walk.False!;
                    // Skipping the blocks walked so far is safe once nothing they set is read any more.
                    if ((defines & liveIn.GetValueOrDefault(walk)) == 0)
                        target = walk;
                }
                if (target != current)
                {
                    if (side)
                        p.True = target;
                    else
                        p.False = target;
                    changed = true;
                }
            }
        }
        return changed;
    }
}
