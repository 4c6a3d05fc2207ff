using System.Runtime.CompilerServices;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// Regroups the tests of an <c>or</c> chain (blocks that all jump to one block when true and fall
/// to the next when false) or an <c>and</c> chain (the mirror image), so that tests of the value A
/// already holds come first: <c>port 53 or port 123</c> tests the source port twice, then the
/// destination port twice, instead of loading each port once per test. It is libpcap's
/// <c>or_pullup</c>/<c>and_pullup</c>, with the data dependencies libpcap assumes away checked.
/// </summary>
/// <remarks>
/// When tests D1…Dn of a chain leave other values in A and the test P after them leaves the value
/// A held on entry to D1, P moves in front of D1. Every test then has the same outcome as before,
/// so the chain leaves to the same place, when P reads nothing the Ds write, the Ds read nothing P
/// writes, and the chain's two exits read nothing either writes. As with libpcap's optimizer (and
/// our removal of dead loads), a packet too short for one of the Ds can now be judged by P first.
/// </remarks>
internal static class ChainPullUp
{
    // Each pull-up brings some chain closer to grouped, so this only guards against surprises.
    private const int MaxPullUpsPerBlock = 4;

    /// <summary>An <c>or</c> chain continues on the False edge, an <c>and</c> chain on the True edge.</summary>
    private readonly record struct Direction(bool ThroughFalse)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Block Next(Block b) => ThroughFalse ? b.False! : b.True!;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Block Common(Block b) => ThroughFalse ? b.True! : b.False!;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void SetNext(Block b, Block next)
        {
            if (ThroughFalse)
                b.False = next;
            else
                b.True = next;
        }
    }

    private static readonly Direction Or = new(ThroughFalse: true);
    private static readonly Direction And = new(ThroughFalse: false);

    /// <summary>
    /// The facts a pull-up relies on. Predecessors and liveness are kept exact as tests move (only
    /// the moved chain's own blocks change); exit values are not, since they only pick candidates.
    /// </summary>
    private sealed class Analysis
    {
        public required Dictionary<Block, List<Block>> Predecessors { get; init; }
        public required Dictionary<Block, int> LiveIn { get; set; }
        public required Dictionary<Block, int> ExitA { get; init; }
        public required Block Entry { get; init; }

        /// <summary>How many tests have moved: facts recorded at one count hold until the next.</summary>
        public int Moves { get; set; }

        /// <summary>
        /// Heads (per direction) whose attempt failed beyond themselves, with the move count it failed at; see
        /// <see cref="FailsAsBefore"/>.
        /// </summary>
        public Dictionary<(Block Head, bool ThroughFalse), int> FailedBeyond { get; } = [];

        public SkippedRuns Skipped { get; } = new();
    }

    /// <summary>Pulls tests up until no chain has one left to move; returns whether anything moved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Run(Block entry)
    {
        var order = BlockGraph.TopologicalOrder(entry);
        if (order is null)
            return false;
        var predecessors = BlockGraph.Predecessors(order);
        var analysis = new Analysis
        {
            Predecessors = predecessors,
            LiveIn = Liveness.LiveIn(order),
            ExitA = ExitValues.OfA(order, predecessors),
            Entry = entry,
        };
        var budget = MaxPullUpsPerBlock * order.Count;
        var changed = false;
        bool pulled;
        do
        {
            pulled = false;
            // From the entry down, so each pull-up extends the group the one before it started and a
            // chain is grouped in one sweep (libpcap goes bottom-up but repeats its whole optimizer per step).
            for (var i = 0; i < order.Count && budget > 0; i++)
            {
                if (TryPullUp(order[i], Or, analysis) || TryPullUp(order[i], And, analysis))
                {
                    pulled = changed = true;
                    budget--;
                }
            }
        }
        while (pulled && budget > 0);
        return changed;
    }

    /// <summary>Moves one test of the chain that starts at <paramref name="head"/>; false when there is none to move.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryPullUp(Block head, Direction direction, Analysis analysis)
    {
        var entering = analysis.Predecessors[head];
        if (entering.Count == 0 || head.End != BlockEnd.Branch)
            return false;
        var value = analysis.ExitA[entering[0]];
        if (entering.Any(p => analysis.ExitA[p] != value))
            return false;
        var common = direction.Common(head);
        bool InChain(Block b, bool isHead) =>
            b.End == BlockEnd.Branch && direction.Common(b) == common && direction.Next(b) != common
            && (isHead || analysis.Predecessors[b].Count == 1);
        if (entering.Count == 1 && InChain(head, isHead: false) && FailsAsBefore(entering[0], head, direction, analysis))
        {
            if (analysis.ExitA[head] == value)
                analysis.FailedBeyond[(head, direction.ThroughFalse)] = analysis.Moves;
            return false;
        }
        bool Fail(Block? before)
        {
            // Only a head on the entry value is followed past itself, so only then is its failure a later head's too.
            if (before is not null)
                analysis.FailedBeyond[(head, direction.ThroughFalse)] = analysis.Moves;
            return false;
        }

        // Skip the tests already on the entry value; the first one on another value is where P goes.
        Block? before = null;
        var first = head;
        while (true)
        {
            if (!InChain(first, first == head))
                return Fail(before);
            if (analysis.ExitA[first] != value)
                break;
            before = first;
            first = direction.Next(first);
        }
        // The run of tests on other values, from where the last pull-up into it left off when there was one.
        var run = analysis.Skipped.Find(first, direction.ThroughFalse, common, value);
        var (uses, defines) = run is null ? Registers.OfBlocks([first]) : (run.Uses, run.Defines);
        var added = new List<Block>();
        var pull = direction.Next(run?.Last ?? first);
        while (true)
        {
            if (!InChain(pull, isHead: false))
                return Fail(before);
            if (analysis.ExitA[pull] == value)
                break;
            added.Add(pull);
            var (u, d) = Registers.OfBlocks([pull]);
            uses |= u & ~defines;
            defines |= d;
            pull = direction.Next(pull);
        }
        var after = direction.Next(pull);
        if (!Independent(uses, defines, pull, analysis.LiveIn[common] | analysis.LiveIn[after]))
            return Fail(before);

        analysis.Moves++;
        var last = added.Count > 0 ? added[^1] : run?.Last ?? first;
        direction.SetNext(last, after);
        direction.SetNext(pull, first);
        var afterPredecessors = analysis.Predecessors[after];
        afterPredecessors[afterPredecessors.IndexOf(pull)] = last;
        if (before is not null)
        {
            direction.SetNext(before, pull);
            analysis.Predecessors[pull] = [before];
            analysis.Skipped.NextChanged(before, direction.ThroughFalse, run);
        }
        else
        {
            foreach (var p in entering)
            {
                if (p.True == head)
                    p.True = pull;
                if (p.False == head)
                    p.False = pull;
                analysis.Skipped.Rewired(p, run);
            }
            analysis.Predecessors[pull] = entering;
        }
        analysis.Predecessors[first] = [pull];
        // The run itself stays whole: its first block only has a new predecessor, its last a new link onward.
        analysis.Skipped.Rewired(pull, run);
        analysis.Skipped.PredecessorsChanged(first, run);
        analysis.Skipped.NextChanged(last, direction.ThroughFalse, run);
        run ??= new SkippedRuns.Run
        {
            First = first, ThroughFalse = direction.ThroughFalse, Common = common, Value = value,
            Last = first, Uses = 0, Defines = 0,
        };
        run.Last = last;
        run.Uses = uses;
        run.Defines = defines;
        analysis.Skipped.Record(run, added);
        UpdateLiveness(analysis, first, last, pull);
        return true;
    }

    /// <summary>
    /// Whether the attempt at <paramref name="head"/>, the next test of the chain after its only predecessor
    /// <paramref name="previous"/>, must fail because <paramref name="previous"/>'s failed beyond itself with nothing
    /// moved since: <paramref name="previous"/> was on its entry value, so its walk went on into
    /// <paramref name="head"/> with the value <paramref name="head"/> is entered with, and from there the two walks
    /// check the same tests against the same value and exits. Without this every test in the middle of a long chain
    /// walks the rest of it again (quadratic in the chain).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool FailsAsBefore(Block previous, Block head, Direction direction, Analysis analysis) =>
        analysis.FailedBeyond.TryGetValue((previous, direction.ThroughFalse), out var moves)
        && moves == analysis.Moves
        && previous.End == BlockEnd.Branch
        && direction.Next(previous) == head
        && direction.Common(previous) == direction.Common(head);

    /// <summary>
    /// Whether running <paramref name="pull"/> before the skipped tests (which read
    /// <paramref name="skippedUses"/> before writing them and write <paramref name="skippedDefines"/>) gives every test
    /// the same operands and leaves the same values in the registers the exits read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Independent(int skippedUses, int skippedDefines, Block pull, int liveAtExits)
    {
        var (pullUses, pullDefines) = Registers.OfBlocks([pull]);
        return (pullUses & skippedDefines) == 0
            && (skippedUses & pullDefines) == 0
            && ((skippedDefines | pullDefines) & liveAtExits) == 0;
    }

    /// <summary>
    /// Recomputes what the reordered blocks need on entry. What the chain needs where it starts
    /// does not change (every test reads what it read before), so nothing above it changes; should
    /// that ever not hold, liveness is recomputed everywhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateLiveness(Analysis analysis, Block first, Block last, Block pull)
    {
        var liveIn = analysis.LiveIn;
        var before = liveIn[first];
        // Only the last skipped block has a new successor; once one of them needs what it needed before, so do the
        // ones before it (each reads only the next and the common exit), and the walk stops: a long chain grows the
        // skipped run by one block per pull-up.
        // (Walked back through predecessors: every skipped block after the first has only the one before it.)
        for (var b = last; ; b = analysis.Predecessors[b][0])
        {
            var now = Liveness.In(b, liveIn);
            if (now == liveIn[b])
                break;
            liveIn[b] = now;
            if (b == first)
                break;
        }
        liveIn[pull] = Liveness.In(pull, liveIn);
        if (liveIn[pull] != before)
            analysis.LiveIn = Liveness.LiveIn(BlockGraph.TopologicalOrder(analysis.Entry)!);
    }
}
