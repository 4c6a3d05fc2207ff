using System.Runtime.CompilerServices;
using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

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
    // Paths through a chain of tests rejoin, so exploring them all is bounded per edge.
    private const int ResolveBudget = 256;
    private const int MaxDepth = 24;
    private int _budget;
    private int _steps;
    private static readonly bool[] Sides = [true, false];

    private readonly OptimizerProfile? _profile;

    public ForwardPass(OptimizerProfile? profile = null)
    {
        _simplifier = new StatementSimplifier(_values);
        _profile = profile;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Run(List<Block> order) =>
        OptimizerProfile.Measure(_profile, "forward sweep", () => Sweep(order)) | OptimizerProfile.Measure(_profile, "jump threading", () => Thread(order));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Sweep(List<Block> order)
    {
        var changed = false;
        var predecessors = BlockGraph.Predecessors(order);
        _edges.EnsureCapacity(2 * order.Count);
        // Reused from block to block: the meet reads the states without keeping the list, and most blocks keep their statements.
        var incoming = new List<ValueState>();
        var simplified = new List<BpfInstruction>();
        foreach (var block in order)
        {
            // A return reads nothing, and the returns of a long chain have as many ways in as it has tests.
            if (ReadsNothing(block))
                continue;
            incoming.Clear();
            foreach (var p in predecessors[block])
                AddEdgeStates(p, block, incoming);
            var state = incoming.Count == 0 ? ValueState.Entry(_values) : ValueState.Meet(_values, incoming);
            _simplifier.Run(state, block.Statements, simplified, out _);
            if (simplified.Count != block.Statements.Count || !simplified.SequenceEqual(block.Statements))
            {
                block.Statements = [.. simplified];
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
        return changed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddEdgeStates(Block from, Block to, List<ValueState> states)
    {
        if (from.True == to && _edges.TryGetValue((from, true), out var t))
            states.Add(t);
        if (from.End == BlockEnd.Branch && from.False == to && _edges.TryGetValue((from, false), out var f))
            states.Add(f);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Record(Block block, ValueState state)
    {
        if (block.End == BlockEnd.Always)
        {
            _edges[(block, true)] = state;
        }
        else if (block.End == BlockEnd.Branch)
        {
            // What holds on an edge into a bare return is never read (the sweep skips the return, threading cannot
            // move such an edge), so it is not worked out: in an or-chain that is every test's true side.
            if (!ReadsNothing(block.True!))
            {
                var whenTrue = state.Clone();
                JumpEvaluator.Learn(_values, whenTrue, block.Jump, block.K, true);
                _edges[(block, true)] = whenTrue;
            }
            if (!ReadsNothing(block.False!))
            {
                JumpEvaluator.Learn(_values, state, block.Jump, block.K, false);
                _edges[(block, false)] = state;
            }
        }
    }

    private static bool ReadsNothing(Block b) => b.End == BlockEnd.Return && b.Statements.Count == 0;

    /// <summary>
    /// Retargets an edge P→B past B (and the blocks after it) when, along that edge, they load
    /// nothing new and every outcome their tests can still have leads to the same block S, and S
    /// does not read what the skipped statements define.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Thread(List<Block> order)
    {
        var liveIn = Liveness.LiveIn(order);
        var changed = false;
        var trail = new ExplorationTrail();
        var runs = new OrRuns(order);
        int edges = 0, threaded = 0, kept = 0;
        foreach (var p in order)
        {
            foreach (var side in Sides)
            {
                if (p.End == BlockEnd.Return || (!side && p.End != BlockEnd.Branch))
                    continue;
                if (!_edges.TryGetValue((p, side), out var edge))
                    continue;
                var current = side ? p.True! : p.False!;
                _budget = ResolveBudget;
                edges++;
                if (runs.KeepsEdge(current, edge, _values, _simplifier, MaxDepth))
                {
                    kept++;
                    continue;
                }
                // Explored in place: Resolve leaves the state as it found it (the sweep that reads edge states is over).
                edge.Trail = trail;
                var target = Resolve(current, edge, 0, 0, liveIn) ?? current;
                edge.Trail = null;
                if (target != current)
                {
                    if (side)
                        p.True = target;
                    else
                        p.False = target;
                    changed = true;
                    threaded++;
                }
            }
        }
        _profile?.RoundLog.Add($"{order.Count} blocks, {edges} edges tried ({kept} known to stay), {threaded} threaded, {_steps} blocks explored");
        return changed;
    }

    /// <summary>
    /// The furthest block that every path from <paramref name="block"/> consistent with
    /// <paramref name="state"/> reaches, skipping only blocks that load nothing new; null when the
    /// paths part ways or skipping would lose a register value still needed. <paramref name="state"/>
    /// is changed while its paths are explored and is as it was on return.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Block? Resolve(Block block, ValueState state, int depth, int defines, Dictionary<Block, int> liveIn)
    {
        _steps++;
        if (block.End != BlockEnd.Branch || depth > MaxDepth || --_budget < 0)
            return Safe(block, defines, liveIn) ? block : null;
        var trail = state.Trail!;
        var mark = trail.Mark;
        var (a, x) = (state.A, state.X);
        Span<int> memory = stackalloc int[16];
        var statements = block.Statements.Count > 0;
        if (statements)
            state.Memory.CopyTo(memory);
        var result = Explore(block, state, depth, defines, liveIn);
        trail.Undo(state, mark);
        (state.A, state.X) = (a, x);
        if (statements)
            memory.CopyTo(state.Memory);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Safe(Block b, int defines, Dictionary<Block, int> liveIn) => (defines & liveIn.GetValueOrDefault(b)) == 0;

    /// <summary><see cref="Resolve"/> past its limits: runs <paramref name="block"/> over <paramref name="state"/> and follows its outcomes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Block? Explore(Block block, ValueState state, int depth, int defines, Dictionary<Block, int> liveIn)
    {
        _simplifier.Simulate(state, block.Statements, out var loadsPacket);
        if (loadsPacket)
            return Safe(block, defines, liveIn) ? block : null;
        var after = defines;
        foreach (var statement in block.Statements)
            after |= Registers.Of(statement).Defines;
        if (JumpEvaluator.Decide(_values, state, block.Jump, block.K) is { } outcome)
        {
            JumpEvaluator.Learn(_values, state, block.Jump, block.K, outcome);
            var next = outcome ? block.True! : block.False!;
            return Resolve(next, state, depth + 1, after, liveIn) ?? (Safe(next, after, liveIn) ? next : null);
        }
        var trail = state.Trail!;
        var undecided = trail.Mark;
        JumpEvaluator.Learn(_values, state, block.Jump, block.K, true);
        var t = Resolve(block.True!, state, depth + 1, after, liveIn);
        trail.Undo(state, undecided);
        // With no target on the true side the false side cannot make one common: leave it unexplored.
        Block? f = null;
        if (t is not null)
        {
            JumpEvaluator.Learn(_values, state, block.Jump, block.K, false);
            f = Resolve(block.False!, state, depth + 1, after, liveIn);
        }
        return t is not null && t == f ? t : (Safe(block, defines, liveIn) ? block : null);
    }
}
