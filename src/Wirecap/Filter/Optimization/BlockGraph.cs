using System.Runtime.CompilerServices;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>Traversal helpers over a block graph.</summary>
internal static class BlockGraph
{
    /// <summary>Blocks reachable from <paramref name="entry"/> in reverse post-order, or null when there is a cycle.</summary>
    /// <param name="entry">Where the graph starts.</param>
    /// <param name="expected">About how many blocks there are, when known: the maps are made that large at once.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<Block>? TopologicalOrder(Block entry, int expected = 0)
    {
        var state = new Dictionary<Block, int>(expected);
        var post = new List<Block>(expected);
        // Each block on the stack with the index of its next successor to visit.
        var stack = new Stack<(Block, int)>();
        state[entry] = 1;
        stack.Push((entry, 0));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Pop();
            if (next < block.SuccessorCount)
            {
                stack.Push((block, next + 1));
                var s = block.Successor(next);
                if (!state.TryGetValue(s, out var mark))
                {
                    state[s] = 1;
                    stack.Push((s, 0));
                }
                else if (mark == 1)
                {
                    return null;
                }
                continue;
            }
            state[block] = 2;
            post.Add(block);
        }
        post.Reverse();
        return post;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Dictionary<Block, List<Block>> Predecessors(List<Block> blocks)
    {
        var predecessors = new Dictionary<Block, List<Block>>(blocks.Count);
        foreach (var b in blocks)
        {
            predecessors.TryAdd(b, []);
            for (var i = 0; i < b.SuccessorCount; i++)
            {
                var s = b.Successor(i);
                if (!predecessors.TryGetValue(s, out var list))
                    predecessors[s] = list = [];
                list.Add(b);
            }
        }
        return predecessors;
    }
}
