using System.Runtime.CompilerServices;
using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// The value number A holds when each block ends, from a fresh forward simulation that leaves the
/// graph as it is. Two blocks with the same number leave the same value in A on every packet.
/// </summary>
internal static class ExitValues
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Dictionary<Block, int> OfA(List<Block> order, Dictionary<Block, List<Block>> predecessors)
    {
        var values = new ValueTable();
        var simplifier = new StatementSimplifier(values);
        var exits = new Dictionary<Block, ValueState>(order.Count);
        var kept = new List<BpfInstruction>();
        foreach (var block in order)
        {
            var incoming = predecessors[block].Select(p => exits[p]).ToList();
            var state = incoming.Count == 0 ? ValueState.Entry(values) : ValueState.Meet(values, incoming);
            simplifier.Run(state, block.Statements, kept, out _);
            exits[block] = state;
        }
        return exits.ToDictionary(e => e.Key, e => e.Value.A);
    }
}
