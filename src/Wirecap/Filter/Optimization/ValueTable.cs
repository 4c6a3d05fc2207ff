using System.Runtime.CompilerServices;
using Wirecap.Bpf;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// Value numbering: every distinct computation (constant, packet load, ALU result…) gets one id,
/// so equal ids mean equal values on every packet. Unknown values get fresh ids.
/// </summary>
internal sealed class ValueTable
{
    private enum Kind { Constant, Load, Length, HeaderLength, Alu, Unknown }

    private readonly record struct Definition(Kind Kind, uint K, int A, int B, ushort Code);

    private readonly Dictionary<Definition, int> _ids = new();
    private readonly List<Definition> _definitions = new();
    // Constants are looked up at every jump the optimizer decides or explores (the test's operand), most often of all
    // definitions, so they have a map of their own keyed by the constant alone.
    private readonly Dictionary<uint, int> _constants = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Intern(Definition definition)
    {
        if (_ids.TryGetValue(definition, out var id))
            return id;
        id = _definitions.Count;
        _definitions.Add(definition);
        _ids[definition] = id;
        return id;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Fresh()
    {
        var id = _definitions.Count;
        _definitions.Add(new Definition(Kind.Unknown, (uint)id, 0, 0, 0));
        return id;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Constant(uint k)
    {
        if (_constants.TryGetValue(k, out var id))
            return id;
        id = _definitions.Count;
        _definitions.Add(new Definition(Kind.Constant, k, 0, 0, 0));
        _constants[k] = id;
        return id;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetConstant(int id, out uint value)
    {
        var d = _definitions[id];
        value = d.K;
        return d.Kind == Kind.Constant;
    }

    /// <summary>A packet load; <paramref name="index"/> is the X value for indexed loads, -1 otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Load(ushort code, uint k, int index) => Intern(new Definition(Kind.Load, k, index, 0, code));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsLoad(int id) => _definitions[id].Kind is Kind.Load or Kind.HeaderLength;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Length() => Intern(new Definition(Kind.Length, 0, 0, 0, 0));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int HeaderLength(uint k) => Intern(new Definition(Kind.HeaderLength, k, 0, 0, 0));

    /// <summary>An ALU result, folded when both operands are constants and the result is defined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Alu(ushort operation, int a, int b)
    {
        if (TryGetConstant(a, out var x) && TryGetConstant(b, out var y) && Fold(operation, x, y) is { } folded)
            return Constant(folded);
        return Intern(new Definition(Kind.Alu, 0, a, b, operation));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint? Fold(ushort operation, uint a, uint b) => operation switch
    {
        BpfOpcode.OpAdd => unchecked(a + b),
        BpfOpcode.OpSub => unchecked(a - b),
        BpfOpcode.OpMul => unchecked(a * b),
        BpfOpcode.OpDiv => b == 0 ? null : a / b,
        BpfOpcode.OpMod => b == 0 ? null : a % b,
        BpfOpcode.OpAnd => a & b,
        BpfOpcode.OpOr => a | b,
        BpfOpcode.OpXor => a ^ b,
        BpfOpcode.OpLsh => b >= 32 ? 0 : a << (int)b,
        BpfOpcode.OpRsh => b >= 32 ? 0 : a >> (int)b,
        BpfOpcode.OpNeg => unchecked(0u - a),
        _ => null,
    };
}
