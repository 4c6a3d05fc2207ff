using System.Runtime.CompilerServices;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>Traversal helpers over a block graph.</summary>
internal static class BlockGraph
{
    /// <summary>Blocks reachable from <paramref name="entry"/> in reverse post-order, or null when there is a cycle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<Block>? TopologicalOrder(Block entry)
    {
        var state = new Dictionary<Block, int>();
        var post = new List<Block>();
        var stack = new Stack<(Block, IEnumerator<Block>)>();
        state[entry] = 1;
        stack.Push((entry, entry.Successors().GetEnumerator()));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Peek();
            if (next.MoveNext())
            {
                var s = next.Current;
                if (!state.TryGetValue(s, out var mark))
                {
                    state[s] = 1;
                    stack.Push((s, s.Successors().GetEnumerator()));
                }
                else if (mark == 1)
                {
                    return null;
                }
                continue;
            }
            stack.Pop();
            state[block] = 2;
            post.Add(block);
        }
        post.Reverse();
        return post;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Dictionary<Block, List<Block>> Predecessors(IEnumerable<Block> blocks)
    {
        var predecessors = new Dictionary<Block, List<Block>>();
        foreach (var b in blocks)
        {
            predecessors.TryAdd(b, []);
            foreach (var s in b.Successors())
            {
                if (!predecessors.TryGetValue(s, out var list))
                    predecessors[s] = list = [];
                list.Add(b);
            }
        }
        return predecessors;
    }
}
