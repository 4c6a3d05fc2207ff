using System.Runtime.CompilerServices;
using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// The optimizer: value numbering with constant folding and redundant-load removal, jump
/// decisions and threading, dead-statement removal, a jset peephole, graph clean-ups, and the
/// regrouping of <c>or</c>/<c>and</c> chains by the value they test, repeated until nothing
/// changes. Graphs with loops (protochain) are left as they are.
/// </summary>
internal static class BlockOptimizer
{
    private const int MaxRounds = 40;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Block Optimize(Block entry, OptimizerProfile? profile = null)
    {
        // The graph only shrinks from round to round, so the last round's size is what the next one's maps need.
        var expected = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            if (profile is not null)
                profile.Rounds = round + 1;
            var order = BlockGraph.TopologicalOrder(entry, expected);
            if (order is null)
                return entry;
            expected = order.Count;
            var changed = new ForwardPass(profile).Run(order);
            order = BlockGraph.TopologicalOrder(entry, order.Count)!;
            changed |= OptimizerProfile.Measure(profile, "dead statements", () => Liveness.RemoveDeadStatements(order));
            changed |= Peephole(order);
            var (cleanEntry, cleaned) = OptimizerProfile.Measure(profile, "clean-up", () => GraphCleanup.Run(entry, order));
            entry = cleanEntry;
            // Chains are regrouped once the other passes have settled, so each pull-up sees them threaded.
            if (!changed && !cleaned && !OptimizerProfile.Measure(profile, "chain pull-up", () => ChainPullUp.Run(entry)))
                break;
        }
        return entry;
    }

    /// <summary><c>and #k; jeq #0</c> becomes <c>jset #k</c> with the targets swapped, when nothing later reads A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Peephole(List<Block> order)
    {
        var liveIn = Liveness.LiveIn(order);
        var changed = false;
        foreach (var b in order)
        {
            if (b.End != BlockEnd.Branch || b.Jump != Instructions.Jeq || b.K != 0 || b.Statements.Count == 0)
                continue;
            var last = b.Statements[^1];
            if (last.Code != (BpfOpcode.ClassAlu | BpfOpcode.OpAnd | BpfOpcode.SrcK))
                continue;
            if (((liveIn.GetValueOrDefault(b.True!) | liveIn.GetValueOrDefault(b.False!)) & Registers.A) != 0)
                continue;
            b.Statements.RemoveAt(b.Statements.Count - 1);
            b.Jump = Instructions.Jset;
            b.K = last.K;
            (b.True, b.False) = (b.False, b.True);
            changed = true;
        }
        return changed;
    }
}
