using System.Reflection.Emit;

namespace Wirecap.Bpf.Compilation;

internal static partial class BpfCompiler
{
    /// <summary>Arithmetic: unsigned 32-bit with wrap-around, division by X = 0 returning 0, dialect-specific shifts.</summary>
    private sealed partial class Emitter
    {
        private void EmitAlu(BpfInstruction insn)
        {
            if (insn.Operation == BpfOpcode.OpNeg)
            {
                _il.Emit(OpCodes.Ldloc, _a);
                _il.Emit(OpCodes.Neg);
                _il.Emit(OpCodes.Stloc, _a);
                return;
            }
            bool fromX = insn.Source == BpfOpcode.SrcX;
            int op = insn.Operation;
            if (fromX && op is BpfOpcode.OpDiv or BpfOpcode.OpMod)
            {
                _il.Emit(OpCodes.Ldloc, _x);
                _il.Emit(OpCodes.Brfalse, _returnZero);
            }
            if (fromX && op is BpfOpcode.OpLsh or BpfOpcode.OpRsh && _dialect == BpfDialect.Libpcap)
            {
                // libpcap: a shift by X >= 32 gives 0.
                var inRange = _il.DefineLabel();
                var done = _il.DefineLabel();
                _il.Emit(OpCodes.Ldloc, _x);
                _il.Emit(OpCodes.Ldc_I4, 32);
                _il.Emit(OpCodes.Blt_Un, inRange);
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Stloc, _a);
                _il.Emit(OpCodes.Br, done);
                _il.MarkLabel(inRange);
                EmitShift(op, () => _il.Emit(OpCodes.Ldloc, _x));
                _il.MarkLabel(done);
                return;
            }
            if (op is BpfOpcode.OpLsh or BpfOpcode.OpRsh)
            {
                // Kernel: X & 31. Constant shifts are below 32 in the kernel; libpcap 1.10.3 lets larger
                // ones through, which x86 (and the interpreter) take modulo 32.
                EmitShift(op, () =>
                {
                    if (fromX) _il.Emit(OpCodes.Ldloc, _x);
                    else _il.Emit(OpCodes.Ldc_I4, (int)insn.K);
                    _il.Emit(OpCodes.Ldc_I4, 31);
                    _il.Emit(OpCodes.And);
                });
                return;
            }
            _il.Emit(OpCodes.Ldloc, _a);
            if (fromX) _il.Emit(OpCodes.Ldloc, _x);
            else _il.Emit(OpCodes.Ldc_I4, (int)insn.K);
            _il.Emit(op switch
            {
                BpfOpcode.OpAdd => OpCodes.Add,
                BpfOpcode.OpSub => OpCodes.Sub,
                BpfOpcode.OpMul => OpCodes.Mul,
                BpfOpcode.OpDiv => OpCodes.Div_Un,
                BpfOpcode.OpMod => OpCodes.Rem_Un,
                BpfOpcode.OpAnd => OpCodes.And,
                BpfOpcode.OpOr => OpCodes.Or,
                BpfOpcode.OpXor => OpCodes.Xor,
                _ => throw new InvalidOperationException($"ALU operation 0x{op:x2} reached the compiler; programs are validated first."),
            });
            _il.Emit(OpCodes.Stloc, _a);
        }

        private void EmitShift(int op, Action pushCount)
        {
            _il.Emit(OpCodes.Ldloc, _a);
            pushCount();
            _il.Emit(op == BpfOpcode.OpLsh ? OpCodes.Shl : OpCodes.Shr_Un);
            _il.Emit(OpCodes.Stloc, _a);
        }
    }
}
