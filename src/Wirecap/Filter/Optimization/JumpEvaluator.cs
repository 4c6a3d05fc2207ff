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
            // Loops rather than Any/All: this runs at every block jump threading explores, and closures allocate.
            var holding = 0;
            foreach (var c in candidates)
                holding += Holds(jump, c, b) ? 1 : 0;
            if (holding == candidates.Length)
                return true;
            if (holding == 0)
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
            s.SetPossible(s.A, Keep(candidates, jump, c, outcome));
        }
        else if (outcome && (jump & 0xf0) == BpfOpcode.OpJeq)
        {
            s.SetPossible(s.A, [c]);
        }
    }

    /// <summary>The candidates for which the jump has <paramref name="outcome"/>; the same array when that is all of them.</summary>
    private static uint[] Keep(uint[] candidates, ushort jump, uint k, bool outcome)
    {
        var kept = 0;
        foreach (var x in candidates)
            kept += Holds(jump, x, k) == outcome ? 1 : 0;
        if (kept == candidates.Length)
            return candidates;
        var result = new uint[kept];
        var i = 0;
        foreach (var x in candidates)
        {
            if (Holds(jump, x, k) == outcome)
                result[i++] = x;
        }
        return result;
    }
}
