using System.Diagnostics.CodeAnalysis;
using System.Reflection.Emit;

namespace Capture.Bpf.Compilation;

/// <summary>
/// Compiles a validated classic BPF program to a <see cref="DynamicMethod"/> with exactly the
/// interpreter's results. A and X live in locals, the 16 scratch words in 16 locals, each jump
/// becomes an IL branch, and packet loads from fixed offsets are bounds-checked once per region
/// (see <see cref="BpfBoundsPlan"/>). Everything that is slow or dialect-specific (header-relative
/// loads, netlink searches, payload offset, random) calls the code the interpreter uses.
/// </summary>
internal static class BpfCompiler
{
    [RequiresDynamicCode("Emits IL; use the interpreter where dynamic code is not supported.")]
    public static BpfCompiledFilter Compile(BpfProgram program)
    {
        // The first parameter is only there so the delegate can be closed over it: invoking a closed
        // delegate calls the method directly, while an open static one goes through a shuffle thunk.
        var method = new DynamicMethod(
            "bpf_filter",
            typeof(uint),
            [typeof(BpfProgram), typeof(ReadOnlySpan<byte>), typeof(BpfContext).MakeByRefType()],
            typeof(BpfCompiler).Module,
            skipVisibility: true)
        {
            InitLocals = false, // the prologue zeroes what must start at 0
        };
        method.DefineParameter(2, System.Reflection.ParameterAttributes.None, "buffer");
        method.DefineParameter(3, System.Reflection.ParameterAttributes.In, "context");
        new Emitter(method.GetILGenerator(), program).Emit();
        return method.CreateDelegate<BpfCompiledFilter>(program);
    }

    /// <summary>libpcap's guard against endless loops, as the interpreter applies it.</summary>
    private const int MaxBackwardJumps = 64;

    /// <summary>The opcodes the interpreter executes; any other one returns 0.</summary>
    private static readonly HashSet<ushort> KnownOpcodes =
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x14, 0x15, 0x16, 0x1c, 0x1d, 0x20,
        0x24, 0x25, 0x28, 0x2c, 0x2d, 0x30, 0x34, 0x35, 0x3c, 0x3d, 0x40, 0x44, 0x45, 0x48, 0x4c,
        0x4d, 0x50, 0x54, 0x5c, 0x60, 0x61, 0x64, 0x6c, 0x74, 0x7c, 0x80, 0x81, 0x84, 0x87, 0x94,
        0x9c, 0xa4, 0xac, 0xb1,
    ];

    private sealed class Emitter
    {
        private const short BufferArg = 1;
        private const short ContextArg = 2;

        private readonly ILGenerator _il;
        private readonly BpfInstruction[] _program;
        private readonly BpfDialect _dialect;
        private readonly BpfBoundsPlan _plan;
        private readonly Label[] _labels;
        private readonly Label _returnZero;
        private readonly LocalBuilder _a, _x, _data, _length, _loaded, _offset, _backwardJumps;
        private readonly LocalBuilder[] _scratch = new LocalBuilder[16];

        public Emitter(ILGenerator il, BpfProgram program)
        {
            _il = il;
            _program = program.Instructions.ToArray();
            _dialect = program.Dialect;
            _plan = BpfBoundsPlan.Create(_program, _dialect);
            _labels = new Label[_program.Length];
            for (int i = 0; i < _labels.Length; i++) _labels[i] = il.DefineLabel();
            _returnZero = il.DefineLabel();
            _a = il.DeclareLocal(typeof(uint));
            _x = il.DeclareLocal(typeof(uint));
            _data = il.DeclareLocal(typeof(byte).MakeByRefType());
            _length = il.DeclareLocal(typeof(int));
            _loaded = il.DeclareLocal(typeof(uint));
            _offset = il.DeclareLocal(typeof(int));
            _backwardJumps = il.DeclareLocal(typeof(int));
            for (int i = 0; i < _scratch.Length; i++) _scratch[i] = il.DeclareLocal(typeof(uint));
        }

        public void Emit()
        {
            EmitPrologue();
            for (int pc = 0; pc < _program.Length; pc++)
            {
                _il.MarkLabel(_labels[pc]);
                ulong need = _plan.CheckBefore(pc);
                if (need != 0) EmitLengthCheck(need);
                EmitInstruction(pc, _program[pc]);
            }
            _il.MarkLabel(_returnZero);
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Ret);
        }

        private void EmitPrologue()
        {
            // A, X, the scratch words and the loop guard start at 0 (explicitly: the locals of a dynamic
            // method are not guaranteed to be zeroed, and the libpcap dialect may read unwritten slots).
            foreach (var register in new[] { _a, _x, _backwardJumps }.Concat(_scratch))
            {
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Stloc, register);
            }
            // data = DataStart(buffer, context.DataOffset, out length): refuses a bad offset as the interpreter does.
            _il.Emit(OpCodes.Ldarg, BufferArg);
            LoadContext(nameof(BpfContext.DataOffset));
            _il.Emit(OpCodes.Ldloca, _length);
            _il.Emit(OpCodes.Call, BpfCompiledRuntime.DataStartMethod);
            _il.Emit(OpCodes.Stloc, _data);
        }

        private void EmitLengthCheck(ulong need)
        {
            if (need > int.MaxValue)
            {
                // No buffer is that long: every path through this region returns 0.
                _il.Emit(OpCodes.Br, _returnZero);
                return;
            }
            _il.Emit(OpCodes.Ldloc, _length);
            _il.Emit(OpCodes.Ldc_I4, (int)need);
            _il.Emit(OpCodes.Blt, _returnZero);
        }

        private void EmitInstruction(int pc, BpfInstruction insn)
        {
            if (!KnownOpcodes.Contains(insn.Code))
            {
                // Only the libpcap dialect lets such an opcode through; like the interpreter, it ends the program with 0.
                _il.Emit(OpCodes.Br, _returnZero);
                return;
            }
            switch (insn.Class)
            {
                case BpfOpcode.ClassLd: EmitLoad(pc, insn, _a); break;
                case BpfOpcode.ClassLdx: EmitLoad(pc, insn, _x); break;
                case BpfOpcode.ClassSt: Copy(_a, _scratch[insn.K]); break;
                case BpfOpcode.ClassStx: Copy(_x, _scratch[insn.K]); break;
                case BpfOpcode.ClassAlu: EmitAlu(insn); break;
                case BpfOpcode.ClassJmp: EmitJump(pc, insn); break;
                case BpfOpcode.ClassRet:
                    if (insn.Code == BpfOpcode.RetAcc) _il.Emit(OpCodes.Ldloc, _a);
                    else _il.Emit(OpCodes.Ldc_I4, (int)insn.K);
                    _il.Emit(OpCodes.Ret);
                    break;
                case BpfOpcode.ClassMisc:
                    if (insn.Code == BpfOpcode.Tax) Copy(_a, _x);
                    else Copy(_x, _a);
                    break;
            }
        }

        private void EmitLoad(int pc, BpfInstruction insn, LocalBuilder target)
        {
            switch (insn.Code)
            {
                case BpfOpcode.LdImm:
                case BpfOpcode.LdxImm:
                    _il.Emit(OpCodes.Ldc_I4, (int)insn.K);
                    _il.Emit(OpCodes.Stloc, target);
                    break;
                case BpfOpcode.LdMem:
                case BpfOpcode.LdxMem:
                    Copy(_scratch[insn.K], target);
                    break;
                case BpfOpcode.LdLen:
                case BpfOpcode.LdxLen:
                    _il.Emit(OpCodes.Ldarg, ContextArg);
                    _il.Emit(OpCodes.Ldloc, _length);
                    _il.Emit(OpCodes.Call, BpfCompiledRuntime.WireLengthMethod);
                    _il.Emit(OpCodes.Stloc, target);
                    break;
                case BpfOpcode.LdAbsW:
                case BpfOpcode.LdAbsH:
                case BpfOpcode.LdAbsB:
                    EmitAbsoluteLoad(pc, insn, SizeOf(insn));
                    break;
                case BpfOpcode.LdIndW:
                case BpfOpcode.LdIndH:
                case BpfOpcode.LdIndB:
                    EmitIndirectLoad(insn, SizeOf(insn));
                    break;
                case BpfOpcode.LdxMsh:
                    EmitPacketLoad(pc, insn.K, 1);
                    _il.Emit(OpCodes.Ldc_I4, 0x0f);
                    _il.Emit(OpCodes.And);
                    _il.Emit(OpCodes.Ldc_I4_2);
                    _il.Emit(OpCodes.Shl);
                    _il.Emit(OpCodes.Stloc, _x);
                    break;
                default:
                    throw new InvalidOperationException($"Instruction {pc}: opcode 0x{insn.Code:x2} reached the compiler; programs are validated first.");
            }
        }

        private static int SizeOf(BpfInstruction insn) => insn.Size switch
        {
            BpfOpcode.SizeW => 4,
            BpfOpcode.SizeH => 2,
            _ => 1,
        };

        private void EmitAbsoluteLoad(int pc, BpfInstruction insn, int size)
        {
            if (insn.K >= BpfAncillary.Base)
            {
                if (_dialect == BpfDialect.Kernel)
                {
                    EmitKernelAncillary(insn.K);
                    return;
                }
                if (size == 1)
                {
                    // libpcap's two VLAN extensions; without auxiliary data they fail like any load this far out.
                    _il.Emit(OpCodes.Ldc_I4, (int)insn.K);
                    _il.Emit(OpCodes.Ldarg, ContextArg);
                    _il.Emit(OpCodes.Ldloca, _loaded);
                    _il.Emit(OpCodes.Call, BpfCompiledRuntime.TryLibpcapVlanAncillaryMethod);
                    _il.Emit(OpCodes.Brfalse, _returnZero);
                    Copy(_loaded, _a);
                    return;
                }
            }
            EmitPacketLoad(pc, insn.K, size);
            _il.Emit(OpCodes.Stloc, _a);
        }

        /// <summary>Pushes the value of a load from the fixed offset <paramref name="k"/>, or leaves through "return 0".</summary>
        private void EmitPacketLoad(int pc, uint k, int size)
        {
            bool direct = _dialect == BpfDialect.Kernel ? (int)k >= 0 : true;
            if (!direct)
            {
                // Kernel header-relative (SKF_NET_OFF / SKF_LL_OFF) load.
                _il.Emit(OpCodes.Ldc_I4, (int)k);
                _il.Emit(OpCodes.Stloc, _offset);
                EmitKernelSlowLoad(size);
                _il.Emit(OpCodes.Ldloc, _loaded);
                return;
            }
            ulong end = k + (ulong)size;
            if (!_plan.IsCovered(pc))
            {
                if (end > int.MaxValue)
                {
                    _il.Emit(OpCodes.Br, _returnZero);
                    _il.Emit(OpCodes.Ldc_I4_0); // keeps the (unreachable) stack shape of a load
                    return;
                }
                _il.Emit(OpCodes.Ldloc, _length);
                _il.Emit(OpCodes.Ldc_I4, (int)end);
                _il.Emit(OpCodes.Blt, _returnZero);
            }
            EmitRead(k, size);
        }

        /// <summary>Pushes the big-endian value at constant offset <paramref name="k"/> from offset 0, known to be in bounds.</summary>
        private void EmitRead(uint k, int size)
        {
            _il.Emit(OpCodes.Ldloc, _data);
            _il.Emit(OpCodes.Ldc_I4, (int)k);
            _il.Emit(OpCodes.Conv_U);
            EmitReadAtAddress(size);
        }

        /// <summary>Given (ref byte, nint offset) on the stack, pushes the big-endian value there.</summary>
        private void EmitReadAtAddress(int size)
        {
            switch (size)
            {
                case 4: _il.Emit(OpCodes.Call, BpfCompiledRuntime.ReadUInt32Method); break;
                case 2: _il.Emit(OpCodes.Call, BpfCompiledRuntime.ReadUInt16Method); break;
                default:
                    _il.Emit(OpCodes.Add);
                    _il.Emit(OpCodes.Ldind_U1);
                    break;
            }
        }

        private void EmitIndirectLoad(BpfInstruction insn, int size)
        {
            if (_dialect == BpfDialect.Kernel)
            {
                // offset = (int)(X + k); in [0, length - size] it is an ordinary load, otherwise the shared slow path decides.
                var slow = _il.DefineLabel();
                var done = _il.DefineLabel();
                _il.Emit(OpCodes.Ldloc, _x);
                _il.Emit(OpCodes.Ldc_I4, (int)insn.K);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Stloc, _offset);
                // (ulong)(uint)offset + size > length also sends every negative offset to the slow path.
                _il.Emit(OpCodes.Ldloc, _offset);
                _il.Emit(OpCodes.Conv_U8);
                _il.Emit(OpCodes.Ldc_I8, (long)size);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Ldloc, _length);
                _il.Emit(OpCodes.Conv_I8);
                _il.Emit(OpCodes.Bgt_Un, slow);
                _il.Emit(OpCodes.Ldloc, _data);
                _il.Emit(OpCodes.Ldloc, _offset);
                _il.Emit(OpCodes.Conv_U);
                EmitReadAtAddress(size);
                _il.Emit(OpCodes.Stloc, _a);
                _il.Emit(OpCodes.Br, done);
                _il.MarkLabel(slow);
                EmitKernelSlowLoad(size);
                Copy(_loaded, _a);
                _il.MarkLabel(done);
                return;
            }
            // libpcap: X + k + size computed in 64 bits (no wrap-around) must not pass the end.
            var fail = _returnZero;
            _il.Emit(OpCodes.Ldloc, _x);
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Ldc_I8, (long)insn.K + size);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Ldloc, _length);
            _il.Emit(OpCodes.Conv_I8);
            _il.Emit(OpCodes.Bgt_Un, fail);
            _il.Emit(OpCodes.Ldloc, _data);
            _il.Emit(OpCodes.Ldloc, _x);
            _il.Emit(OpCodes.Ldc_I4, (int)insn.K);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Conv_U);
            EmitReadAtAddress(size);
            _il.Emit(OpCodes.Stloc, _a);
        }

        /// <summary>TryLoadKernel(buffer, context, _offset, size, out _loaded), returning 0 on failure.</summary>
        private void EmitKernelSlowLoad(int size)
        {
            _il.Emit(OpCodes.Ldarg, BufferArg);
            _il.Emit(OpCodes.Ldarg, ContextArg);
            _il.Emit(OpCodes.Ldloc, _offset);
            _il.Emit(OpCodes.Ldc_I4, size);
            _il.Emit(OpCodes.Ldloca, _loaded);
            _il.Emit(OpCodes.Call, BpfCompiledRuntime.TryLoadKernelMethod);
            _il.Emit(OpCodes.Brfalse, _returnZero);
        }

        private void EmitKernelAncillary(uint k)
        {
            string? field = (int)(k - BpfAncillary.Base) switch
            {
                BpfAncillary.Protocol => nameof(BpfContext.Protocol),
                BpfAncillary.PacketType => nameof(BpfContext.PacketType),
                BpfAncillary.InterfaceIndex => nameof(BpfContext.InterfaceIndex),
                BpfAncillary.Mark => nameof(BpfContext.Mark),
                BpfAncillary.Queue => nameof(BpfContext.Queue),
                BpfAncillary.HardwareType => nameof(BpfContext.HardwareType),
                BpfAncillary.ReceiveHash => nameof(BpfContext.ReceiveHash),
                BpfAncillary.VlanTag => nameof(BpfContext.VlanTci),
                BpfAncillary.VlanTagPresent => nameof(BpfContext.VlanTagPresent),
                BpfAncillary.VlanTpid => nameof(BpfContext.VlanTpid),
                _ => null,
            };
            if (field is not null)
            {
                // Plain metadata fields: every one widens to u32 without sign extension (bool is 0/1).
                LoadContext(field);
                _il.Emit(OpCodes.Stloc, _a);
                return;
            }
            if (k == BpfAncillary.Base + BpfAncillary.AluXorX)
            {
                _il.Emit(OpCodes.Ldloc, _a);
                _il.Emit(OpCodes.Ldloc, _x);
                _il.Emit(OpCodes.Xor);
                _il.Emit(OpCodes.Stloc, _a);
                return;
            }
            _il.Emit(OpCodes.Ldc_I4, (int)k);
            _il.Emit(OpCodes.Ldarg, BufferArg);
            _il.Emit(OpCodes.Ldarg, ContextArg);
            _il.Emit(OpCodes.Ldloc, _a);
            _il.Emit(OpCodes.Ldloc, _x);
            _il.Emit(OpCodes.Call, BpfCompiledRuntime.KernelAncillaryMethod);
            _il.Emit(OpCodes.Stloc, _a);
        }

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

        private void EmitJump(int pc, BpfInstruction insn)
        {
            if (insn.Code == BpfOpcode.Ja)
            {
                int offset = (int)insn.K;
                if (offset < 0)
                {
                    // libpcap only: a jump to itself, or more than MaxBackwardJumps backward jumps, ends the program with 0.
                    if (offset == -1)
                    {
                        _il.Emit(OpCodes.Br, _returnZero);
                        return;
                    }
                    _il.Emit(OpCodes.Ldloc, _backwardJumps);
                    _il.Emit(OpCodes.Dup);
                    _il.Emit(OpCodes.Ldc_I4_1);
                    _il.Emit(OpCodes.Add);
                    _il.Emit(OpCodes.Stloc, _backwardJumps);
                    _il.Emit(OpCodes.Ldc_I4, MaxBackwardJumps);
                    _il.Emit(OpCodes.Bge, _returnZero);
                }
                _il.Emit(OpCodes.Br, _labels[pc + 1 + offset]);
                return;
            }
            var whenTrue = _labels[pc + 1 + insn.JumpTrue];
            var whenFalse = _labels[pc + 1 + insn.JumpFalse];
            _il.Emit(OpCodes.Ldloc, _a);
            if (insn.Source == BpfOpcode.SrcX) _il.Emit(OpCodes.Ldloc, _x);
            else _il.Emit(OpCodes.Ldc_I4, (int)insn.K);
            switch (insn.Operation)
            {
                case BpfOpcode.OpJeq: _il.Emit(OpCodes.Beq, whenTrue); break;
                case BpfOpcode.OpJgt: _il.Emit(OpCodes.Bgt_Un, whenTrue); break;
                case BpfOpcode.OpJge: _il.Emit(OpCodes.Bge_Un, whenTrue); break;
                case BpfOpcode.OpJset:
                    _il.Emit(OpCodes.And);
                    _il.Emit(OpCodes.Brtrue, whenTrue);
                    break;
                default:
                    throw new InvalidOperationException($"Instruction {pc}: jump 0x{insn.Code:x2} reached the compiler; programs are validated first.");
            }
            if (insn.JumpFalse != 0) _il.Emit(OpCodes.Br, whenFalse);
        }

        private void LoadContext(string property)
        {
            _il.Emit(OpCodes.Ldarg, ContextArg);
            _il.Emit(OpCodes.Call, BpfCompiledRuntime.ContextGetter(property));
        }

        private void Copy(LocalBuilder from, LocalBuilder to)
        {
            _il.Emit(OpCodes.Ldloc, from);
            _il.Emit(OpCodes.Stloc, to);
        }
    }
}
