using Wirecap.Bpf;

namespace Wirecap.Filter.CodeGen;

internal enum BlockEnd
{
    /// <summary>Conditional jump on <see cref="Block.Jump"/>/<see cref="Block.K"/> to True or False.</summary>
    Branch,
    /// <summary>Unconditional continuation to True.</summary>
    Always,
    /// <summary><c>ret #k</c>.</summary>
    Return,
}

/// <summary>A basic block: straight-line statements and one exit.</summary>
internal sealed class Block
{
    private static int _nextId;

    public Block(BlockEnd end) => End = end;

    public int Id { get; } = Interlocked.Increment(ref _nextId);
    public List<BpfInstruction> Statements { get; set; } = [];
    public BlockEnd End { get; set; }
    public ushort Jump { get; set; }
    public uint K { get; set; }
    public Block? True { get; set; }
    public Block? False { get; set; }

    public static Block Return(uint value) => new(BlockEnd.Return) { K = value };

    public static Block Branch(IEnumerable<BpfInstruction> statements, ushort jump, uint k, Block whenTrue, Block whenFalse) =>
        new(BlockEnd.Branch) { Statements = [.. statements], Jump = jump, K = k, True = whenTrue, False = whenFalse };

    public static Block Goto(IEnumerable<BpfInstruction> statements, Block next) =>
        new(BlockEnd.Always) { Statements = [.. statements], True = next };

    /// <summary>How many distinct successors the block has: none after a return, True, and False when it differs.</summary>
    public int SuccessorCount => End == BlockEnd.Return ? 0 : End == BlockEnd.Branch && False != True ? 2 : 1;

    /// <summary>
    /// Successor <paramref name="index"/> (below <see cref="SuccessorCount"/>): True, then False. Indexed rather than
    /// enumerated because the optimizer walks every block's successors several times a round, and an iterator
    /// allocated at each walk (28 MB per compile of a 1,000-term chain).
    /// </summary>
    public Block Successor(int index) => index == 0 ? True! : False!;

    public override string ToString() => $"B{Id}:{End}";
}
