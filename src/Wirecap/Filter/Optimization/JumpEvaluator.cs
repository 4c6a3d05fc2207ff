using System.Runtime.CompilerServices;
using Wirecap.Bpf;

namespace Wirecap.Filter.Optimization;

/// <summary>Decides a conditional jump from constants and from the outcomes of earlier tests.</summary>
internal static class JumpEvaluator
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int Value, ushort Jump, int Operand) Key(ValueTable values, ValueState s, ushort jump, uint k) =>
        (s.A, (ushort)(jump & ~BpfOpcode.SrcX), (jump & BpfOpcode.SrcX) != 0 ? s.X : values.Constant(k));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool? Decide(ValueTable values, ValueState s, ushort jump, uint k)
    {
        var key = Key(values, s, jump, k);
        if (s.TryGetTest(key, out var known))
            return known;
        if (!s.TryGetConstant(values, key.Operand, out var b))
            return null;
        if (values.TryGetConstant(s.A, out var a))
            return Holds(jump, a, b);
        if (s.Possible.TryGetValue(s.A, out var candidates))
        {
            var any = candidates.Any(c => Holds(jump, c, b));
            var all = candidates.All(c => Holds(jump, c, b));
            if (all)
                return true;
            if (!any)
                return false;
        }
        if ((jump & 0xf0) == BpfOpcode.OpJset && b == 0)
            return false;
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Holds(ushort jump, uint a, uint b) => (jump & 0xf0) switch
    {
        BpfOpcode.OpJeq => a == b,
        BpfOpcode.OpJgt => a > b,
        BpfOpcode.OpJge => a >= b,
        _ => (a & b) != 0,
    };

    /// <summary>Records what taking one side of the jump tells about the values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Learn(ValueTable values, ValueState s, ushort jump, uint k, bool outcome)
    {
        var key = Key(values, s, jump, k);
        s.AddTest(key, outcome);
        if (!s.TryGetConstant(values, key.Operand, out var c) || values.TryGetConstant(s.A, out _))
            return;
        if (s.Possible.TryGetValue(s.A, out var candidates))
        {
            s.SetPossible(s.A, candidates.Where(x => Holds(jump, x, c) == outcome).ToArray());
        }
        else if (outcome && (jump & 0xf0) == BpfOpcode.OpJeq)
        {
            s.SetPossible(s.A, [c]);
        }
    }
}
