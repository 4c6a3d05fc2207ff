using System.Diagnostics.CodeAnalysis;
using System.Reflection.Emit;

namespace Wirecap.Bpf.Compilation;

/// <summary>
/// Compiles a validated classic BPF program to a <see cref="DynamicMethod"/> with exactly the
/// interpreter's results. A and X live in locals, the 16 scratch words in 16 locals, each jump
/// becomes an IL branch, and packet loads from fixed offsets are bounds-checked once per region
/// (see <see cref="BpfBoundsPlan"/>). Everything that is slow or dialect-specific (header-relative
/// loads, netlink searches, payload offset, random) calls the code the interpreter uses.
/// </summary>
internal static partial class BpfCompiler
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

    private sealed partial class Emitter
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
            if (!BpfOpcodeTable.IsKernelOpcode(insn.Code))
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
