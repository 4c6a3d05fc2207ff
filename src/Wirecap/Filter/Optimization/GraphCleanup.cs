using System.Runtime.CompilerServices;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// Structural clean-ups: branches with one target become gotos, empty gotos are bypassed, a goto
/// into a block nothing else reaches absorbs it, and identical blocks are merged.
/// </summary>
internal static class GraphCleanup
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (Block Entry, bool Changed) Run(Block entry, List<Block> order)
    {
        var changed = false;
        foreach (var b in order)
        {
            if (b.End == BlockEnd.Branch && b.True == b.False)
            {
                b.End = BlockEnd.Always;
                b.False = null;
                changed = true;
            }
        }
        Block Skip(Block b)
        {
            for (var hops = 0; b.End == BlockEnd.Always && b.Statements.Count == 0 && hops < order.Count; hops++)
                b = b.True!;
            return b;
        }
        foreach (var b in order)
        {
            if (b.End == BlockEnd.Return)
                continue;
            var t = Skip(b.True!);
            if (t != b.True)
            {
                b.True = t;
                changed = true;
            }
            if (b.End == BlockEnd.Branch)
            {
                var f = Skip(b.False!);
                if (f != b.False)
                {
                    b.False = f;
                    changed = true;
                }
            }
        }
        var newEntry = Skip(entry);
        changed |= newEntry != entry;
        var current = BlockGraph.TopologicalOrder(newEntry);
        if (current is null)
            return (newEntry, changed);
        changed |= Absorb(current);
        return (Intern(newEntry, current, ref changed), changed);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Absorb(List<Block> order)
    {
        var predecessors = BlockGraph.Predecessors(order);
        var changed = false;
        foreach (var b in order)
        {
            while (b.End == BlockEnd.Always && b.True is { } next && next != b && predecessors[next].Count == 1
                   && next.End != BlockEnd.Return)
            {
                b.Statements.AddRange(next.Statements);
                b.End = next.End;
                b.Jump = next.Jump;
                b.K = next.K;
                b.True = next.True;
                b.False = next.False;
                for (var i = 0; i < b.SuccessorCount; i++)
                {
                    var list = predecessors[b.Successor(i)];
                    list.Remove(next);
                    list.Add(b);
                }
                changed = true;
            }
        }
        return changed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Block Intern(Block entry, List<Block> order, ref bool changed)
    {
        var canonical = new Dictionary<BlockShape, Block>(order.Count);
        var replacement = new Dictionary<Block, Block>();
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var b = order[i];
            if (b.True is { } t && replacement.TryGetValue(t, out var rt))
                b.True = rt;
            if (b.False is { } f && replacement.TryGetValue(f, out var rf))
                b.False = rf;
            var key = new BlockShape(b);
            if (canonical.TryGetValue(key, out var existing))
            {
                replacement[b] = existing;
                changed = true;
            }
            else
            {
                canonical[key] = b;
            }
        }
        return replacement.GetValueOrDefault(entry, entry);
    }
}
