using Wirecap.Bpf;

namespace Wirecap.Filter.CodeGen;

/// <summary>
/// Lays a block graph out as a linear program. Blocks go in reverse post-order so branches point
/// forward; a conditional branch that would need an offset above 255 (or backwards, for loops)
/// goes through a <c>ja</c> trampoline placed right after it.
/// </summary>
internal static class Emitter
{
    private sealed class Item
    {
        public BpfInstruction Instruction;
        public Item? TrueTarget;
        public Item? FalseTarget;
        public Block? TrueBlock;
        public Block? FalseBlock;
        public int Position;
    }

    public static BpfInstruction[] Emit(Block entry)
    {
        var order = Order(entry);
        var items = new List<Item>();
        var firstItem = new Dictionary<Block, Item>();
        for (var index = 0; index < order.Count; index++)
        {
            var block = order[index];
            var start = items.Count;
            foreach (var statement in block.Statements)
                items.Add(new Item { Instruction = statement });
            switch (block.End)
            {
                case BlockEnd.Return:
                    items.Add(new Item { Instruction = BpfInstruction.Statement(BpfOpcode.RetK, block.K) });
                    break;
                case BlockEnd.Always:
                    if (index + 1 >= order.Count || order[index + 1] != block.True)
                        items.Add(new Item { Instruction = BpfInstruction.Statement(BpfOpcode.Ja), TrueBlock = block.True });
                    break;
                default:
                    items.Add(new Item
                    {
                        Instruction = BpfInstruction.Jump(block.Jump, block.K, 0, 0),
                        TrueBlock = block.True,
                        FalseBlock = block.False,
                    });
                    break;
            }
            // A block with no instructions of its own (an Always that falls through) starts where the next one does.
            firstItem[block] = start < items.Count ? items[start] : null!;
        }
        ResolveEmptyBlocks(order, firstItem);
        foreach (var item in items)
        {
            if (item.TrueBlock is { } t)
                item.TrueTarget = firstItem[t];
            if (item.FalseBlock is { } f)
                item.FalseTarget = firstItem[f];
        }
        InsertTrampolines(items);
        return Encode(items);
    }

    private static void ResolveEmptyBlocks(List<Block> order, Dictionary<Block, Item> firstItem)
    {
        for (var i = order.Count - 1; i >= 0; i--)
        {
            if (firstItem[order[i]] is null)
                firstItem[order[i]] = firstItem[order[i].True!];
        }
    }

    private static List<Block> Order(Block entry)
    {
        var visited = new HashSet<Block>();
        var postOrder = new List<Block>();
        var stack = new Stack<(Block Block, IEnumerator<Block> Next)>();
        visited.Add(entry);
        stack.Push((entry, Successors(entry).GetEnumerator()));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Peek();
            if (next.MoveNext())
            {
                if (visited.Add(next.Current))
                    stack.Push((next.Current, Successors(next.Current).GetEnumerator()));
                continue;
            }
            stack.Pop();
            postOrder.Add(block);
        }
        postOrder.Reverse();
        // Returns last, accepting first, as libpcap prints them.
        var returns = postOrder.Where(b => b.End == BlockEnd.Return).OrderByDescending(b => b.K).ToList();
        return [.. postOrder.Where(b => b.End != BlockEnd.Return), .. returns];
    }

    // False first, so that the True branch is laid out first and the fall-through is the False one.
    private static IEnumerable<Block> Successors(Block block)
    {
        if (block.End == BlockEnd.Return)
            yield break;
        if (block.End == BlockEnd.Branch && block.False != block.True)
            yield return block.False!;
        yield return block.True!;
    }

    private static void InsertTrampolines(List<Item> items)
    {
        while (true)
        {
            for (var i = 0; i < items.Count; i++)
                items[i].Position = i;
            var changed = false;
            for (var i = 0; i < items.Count && !changed; i++)
            {
                var item = items[i];
                if (item.FalseTarget is null || item.Instruction.Code == BpfOpcode.Ja)
                    continue;
                var trueBad = !Reachable(item, item.TrueTarget!);
                var falseBad = !Reachable(item, item.FalseTarget);
                if (!trueBad && !falseBad)
                    continue;
                var insertAt = i + 1;
                if (trueBad)
                {
                    var trampoline = new Item { Instruction = BpfInstruction.Statement(BpfOpcode.Ja), TrueTarget = item.TrueTarget };
                    items.Insert(insertAt++, trampoline);
                    item.TrueTarget = trampoline;
                }
                if (falseBad)
                {
                    var trampoline = new Item { Instruction = BpfInstruction.Statement(BpfOpcode.Ja), TrueTarget = item.FalseTarget };
                    items.Insert(insertAt, trampoline);
                    item.FalseTarget = trampoline;
                }
                changed = true;
            }
            if (!changed)
                return;
        }
    }

    private static bool Reachable(Item from, Item to)
    {
        var offset = to.Position - from.Position - 1;
        return offset is >= 0 and <= 255;
    }

    private static BpfInstruction[] Encode(List<Item> items)
    {
        for (var i = 0; i < items.Count; i++)
            items[i].Position = i;
        var program = new BpfInstruction[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var ins = item.Instruction;
            if (ins.Code == BpfOpcode.Ja && item.TrueTarget is { } jaTarget)
                ins = ins with { K = unchecked((uint)(jaTarget.Position - i - 1)) };
            else if (item.FalseTarget is { } f)
                ins = ins with
                {
                    JumpTrue = (byte)(item.TrueTarget!.Position - i - 1),
                    JumpFalse = (byte)(f.Position - i - 1),
                };
            program[i] = ins;
        }
        return program;
    }
}
