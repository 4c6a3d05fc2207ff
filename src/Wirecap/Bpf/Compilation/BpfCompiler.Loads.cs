using System.Reflection.Emit;

namespace Wirecap.Bpf.Compilation;

internal static partial class BpfCompiler
{
    /// <summary>Loads: immediates, scratch, length, packet bytes (fast and slow paths) and ancillary data.</summary>
    private sealed partial class Emitter
    {
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
    }
}
