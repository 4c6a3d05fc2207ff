using System.Runtime.CompilerServices;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// The runs of tests <see cref="ChainPullUp"/> has moved a test in front of, kept so the next pull-up into the same
/// run jumps to its end instead of walking it again: a long chain's run grows by one test per pull-up, so walking it
/// every time is quadratic in the chain. A run is only used while none of its blocks has been rewired since it was
/// recorded (each pull-up reports the blocks it rewires), apart from its last block's link onward, which is read afresh.
/// </summary>
internal sealed class SkippedRuns
{
    /// <summary>Tests from <see cref="First"/> to <see cref="Last"/>, all in one chain and none on <see cref="Value"/>.</summary>
    public sealed class Run
    {
        public required Block First { get; init; }
        public required bool ThroughFalse { get; init; }
        public required Block Common { get; init; }
        public required int Value { get; init; }
        public required Block Last { get; set; }

        /// <summary>What the run reads before writing it and what it writes (<see cref="Registers.OfBlocks"/>).</summary>
        public required int Uses { get; set; }

        public required int Defines { get; set; }

        public bool Alive { get; set; } = true;
    }

    private readonly Dictionary<Block, Run> byFirst = [];

    // Each block after a run's first belongs to at most one live run.
    private readonly Dictionary<Block, Run> byMember = [];

    /// <summary>The live run starting at <paramref name="first"/> recorded for this chain and value, if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Run? Find(Block first, bool throughFalse, Block common, int value) =>
        byFirst.TryGetValue(first, out var run) && run.Alive && run.ThroughFalse == throughFalse
        && run.Common == common && run.Value == value
            ? run
            : null;

    /// <summary>A block's links or predecessors changed: every run through it but <paramref name="own"/> is stale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Rewired(Block block, Run? own)
    {
        if (byFirst.TryGetValue(block, out var run) && run != own)
            run.Alive = false;
        PredecessorsChanged(block, own);
    }

    /// <summary>
    /// A block's link onward in a chain of <paramref name="throughFalse"/>'s direction changed: a run ending there
    /// stays (that link is read afresh), any other through it but <paramref name="own"/> is stale.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void NextChanged(Block block, bool throughFalse, Run? own)
    {
        if (byFirst.TryGetValue(block, out var run) && run != own && !(run.Last == block && run.ThroughFalse == throughFalse))
            run.Alive = false;
        if (byMember.TryGetValue(block, out run) && run != own && !(run.Last == block && run.ThroughFalse == throughFalse))
            run.Alive = false;
    }

    /// <summary>
    /// A block has new predecessors: a run through it but <paramref name="own"/> is stale, one starting there is not
    /// (its first block is checked afresh).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PredecessorsChanged(Block block, Run? own)
    {
        if (byMember.TryGetValue(block, out var run) && run != own)
            run.Alive = false;
    }

    /// <summary>Records a new run, or <paramref name="run"/> grown by <paramref name="added"/> (its blocks after the old end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Record(Run run, List<Block> added)
    {
        if (byFirst.TryGetValue(run.First, out var old) && old != run)
            old.Alive = false;
        byFirst[run.First] = run;
        foreach (var b in added)
        {
            if (byMember.TryGetValue(b, out old) && old != run)
                old.Alive = false;
            byMember[b] = run;
        }
    }
}
