using System.Runtime.CompilerServices;
using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// What makes two blocks interchangeable for <see cref="GraphCleanup"/>: how they end, their jump and operand, their
/// targets (by identity) and their statements' opcodes and operands. A value rather than a formatted string, so
/// interning a graph of thousands of blocks every round allocates nothing per block.
/// </summary>
internal readonly struct BlockShape(Block block) : IEquatable<BlockShape>
{
    private readonly BlockEnd _end = block.End;
    private readonly ushort _jump = block.Jump;
    private readonly uint _k = block.K;
    private readonly int? _true = block.True?.Id;
    private readonly int? _false = block.False?.Id;
    private readonly List<BpfInstruction> _statements = block.Statements;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Equals(BlockShape other)
    {
        if (_end != other._end || _jump != other._jump || _k != other._k || _true != other._true
            || _false != other._false || _statements.Count != other._statements.Count)
            return false;
        for (var i = 0; i < _statements.Count; i++)
        {
            if (_statements[i].Code != other._statements[i].Code || _statements[i].K != other._statements[i].K)
                return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is BlockShape other && Equals(other);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int GetHashCode()
    {
        var hash = HashCode.Combine(_end, _jump, _k, _true, _false, _statements.Count);
        foreach (var s in _statements)
            hash = HashCode.Combine(hash, s.Code, s.K);
        return hash;
    }
}
