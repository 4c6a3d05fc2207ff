using System.Runtime.CompilerServices;
using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>
/// Runs statements over a <see cref="ValueState"/>: drops loads and stores of values already in
/// place, folds constants, removes ALU identities, and reports whether anything new is loaded.
/// </summary>
internal sealed class StatementSimplifier(ValueTable values)
{
    /// <summary>Simulates <paramref name="statements"/>; puts the simplified list in <paramref name="result"/>.</summary>
    /// <param name="s">The state, updated in place.</param>
    /// <param name="statements">The statements to run.</param>
    /// <param name="result">Emptied, then given the statements kept (a list the caller reuses from block to block).</param>
    /// <param name="loadsPacket">Set when a statement reads packet bytes not read on every path before.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(ValueState s, IReadOnlyList<BpfInstruction> statements, List<BpfInstruction> result, out bool loadsPacket)
    {
        loadsPacket = false;
        result.Clear();
        // Indexed, not foreach: the list is an interface here, whose enumerator would be allocated.
        for (var i = 0; i < statements.Count; i++)
        {
            var kept = Step(s, statements[i], ref loadsPacket, record: true);
            if (kept is { } k)
                result.Add(k);
        }
    }

    /// <summary>
    /// Runs <paramref name="statements"/> over <paramref name="s"/> for their effect on the registers alone (no list is
    /// built, and <see cref="ValueState.Available"/> is left as it is: once a load is new, what else is new is moot).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Simulate(ValueState s, IReadOnlyList<BpfInstruction> statements, out bool loadsPacket)
    {
        loadsPacket = false;
        for (var i = 0; i < statements.Count; i++)
            Step(s, statements[i], ref loadsPacket, record: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private BpfInstruction? Step(ValueState s, BpfInstruction ins, ref bool loadsPacket, bool record)
    {
        var code = ins.Code;
        switch (code & 0x07)
        {
            case BpfOpcode.ClassLd:
            {
                var v = (code & 0xe0) switch
                {
                    BpfOpcode.ModeImm => values.Constant(ins.K),
                    BpfOpcode.ModeAbs => values.Load(code, ins.K, -1),
                    BpfOpcode.ModeInd => values.Load(code, ins.K, s.X),
                    BpfOpcode.ModeMem => s.Memory[ins.K & 15],
                    _ => values.Length(),
                };
                if (v == s.A)
                    return null;
                s.A = v;
                if (values.IsLoad(v) && !s.Available.ContainsKey(v))
                {
                    loadsPacket = true;
                    if (record)
                        s.Available = s.Available.SetItem(v, true);
                }
                else if (s.TryGetConstant(values, v, out var c) && (code & 0xe0) != BpfOpcode.ModeImm)
                {
                    return Instructions.LoadImmediate(c);
                }
                return ins;
            }
            case BpfOpcode.ClassLdx:
            {
                var v = (code & 0xe0) switch
                {
                    BpfOpcode.ModeImm => values.Constant(ins.K),
                    BpfOpcode.ModeMem => s.Memory[ins.K & 15],
                    BpfOpcode.ModeLen => values.Length(),
                    _ => values.HeaderLength(ins.K),
                };
                if (v == s.X)
                    return null;
                s.X = v;
                if (values.IsLoad(v) && !s.Available.ContainsKey(v))
                {
                    loadsPacket = true;
                    if (record)
                        s.Available = s.Available.SetItem(v, true);
                }
                return ins;
            }
            case BpfOpcode.ClassSt:
                if (s.Memory[ins.K & 15] == s.A)
                    return null;
                s.Memory[ins.K & 15] = s.A;
                return ins;
            case BpfOpcode.ClassStx:
                if (s.Memory[ins.K & 15] == s.X)
                    return null;
                s.Memory[ins.K & 15] = s.X;
                return ins;
            case BpfOpcode.ClassAlu:
                return Alu(s, ins);
            case BpfOpcode.ClassMisc:
                if ((code & 0xf8) == BpfOpcode.MiscTxa)
                {
                    if (s.A == s.X)
                        return null;
                    s.A = s.X;
                }
                else
                {
                    if (s.X == s.A)
                        return null;
                    s.X = s.A;
                }
                return ins;
            default:
                return ins;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private BpfInstruction? Alu(ValueState s, BpfInstruction ins)
    {
        var operation = (ushort)(ins.Code & 0xf0);
        if (operation == BpfOpcode.OpNeg)
        {
            if (s.TryGetConstant(values, s.A, out var a))
                return SetConstant(s, unchecked(0u - a));
            s.A = values.Alu(operation, s.A, s.A);
            return ins;
        }
        uint k;
        if ((ins.Code & BpfOpcode.SrcX) != 0)
        {
            if (!s.TryGetConstant(values, s.X, out k))
            {
                s.A = values.Alu(operation, s.A, s.X);
                return ins;
            }
            ins = Instructions.Alu(operation, k);
        }
        else
        {
            k = ins.K;
        }
        var identity = operation switch
        {
            BpfOpcode.OpAdd or BpfOpcode.OpSub or BpfOpcode.OpOr or BpfOpcode.OpXor or BpfOpcode.OpLsh or BpfOpcode.OpRsh => k == 0,
            BpfOpcode.OpMul or BpfOpcode.OpDiv => k == 1,
            BpfOpcode.OpAnd => k == uint.MaxValue,
            _ => false,
        };
        if (identity)
            return null;
        if (operation is BpfOpcode.OpAnd or BpfOpcode.OpMul && k == 0)
            return SetConstant(s, 0);
        if (s.TryGetConstant(values, s.A, out var value) && ValueTable.Fold(operation, value, k) is { } folded)
            return SetConstant(s, folded);
        s.A = values.Alu(operation, s.A, values.Constant(k));
        return ins;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private BpfInstruction? SetConstant(ValueState s, uint value)
    {
        var v = values.Constant(value);
        if (s.A == v)
            return null;
        s.A = v;
        return Instructions.LoadImmediate(value);
    }
}
