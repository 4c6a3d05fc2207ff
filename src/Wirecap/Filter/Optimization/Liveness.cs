using System.Runtime.CompilerServices;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// Backward liveness of A, X and M[]; removes statements whose result nobody reads (packet loads
/// included, as libpcap's optimizer does).
/// </summary>
internal static class Liveness
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Dictionary<Block, int> LiveIn(List<Block> order)
    {
        var liveIn = new Dictionary<Block, int>(order.Count);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var b = order[i];
            liveIn[b] = In(b, liveIn);
        }
        return liveIn;
    }

    /// <summary>What <paramref name="b"/> needs on entry, given what its successors need.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int In(Block b, Dictionary<Block, int> liveIn) => Transfer(b, LiveOut(b, liveIn));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int LiveOut(Block b, Dictionary<Block, int> liveIn)
    {
        var live = 0;
        for (var i = 0; i < b.SuccessorCount; i++)
            live |= liveIn.GetValueOrDefault(b.Successor(i));
        if (b.End == BlockEnd.Branch)
            live |= Registers.JumpUses(b.Jump);
        return live;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transfer(Block b, int live)
    {
        for (var i = b.Statements.Count - 1; i >= 0; i--)
        {
            var (uses, defines) = Registers.Of(b.Statements[i]);
            live = (live & ~defines) | uses;
        }
        return live;
    }

    /// <summary>Drops dead statements; returns whether anything changed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool RemoveDeadStatements(List<Block> order)
    {
        var liveIn = LiveIn(order);
        var changed = false;
        foreach (var b in order)
        {
            var live = LiveOut(b, liveIn);
            for (var i = b.Statements.Count - 1; i >= 0; i--)
            {
                var (uses, defines) = Registers.Of(b.Statements[i]);
                if ((defines & live) == 0)
                {
                    b.Statements.RemoveAt(i);
                    changed = true;
                    continue;
                }
                live = (live & ~defines) | uses;
            }
        }
        return changed;
    }
}
