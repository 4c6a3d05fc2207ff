using Wirecap.Bpf;
using Wirecap.Bpf.Compilation;
using static Wirecap.Ebpf.EbpfRegister;
using static Wirecap.Ebpf.Translation.CbpfRegisters;

namespace Wirecap.Ebpf.Translation;

/// <summary>
/// Emits one classic program as eBPF into an assembler (see <see cref="CbpfTranslator"/> for the contract). The
/// program is cut into the regions of a <see cref="BpfBoundsPlan"/> (basic blocks): one length guard at a region's
/// entry covers every absolute load in it, and a region that every path enters with enough bytes proven has none.
/// Instructions keep their classic order; jumps go forward only, so every label is defined before it is placed.
/// </summary>
internal sealed class CbpfFragment
{
    private readonly EbpfAssembler _asm;
    private readonly BpfInstruction[] _program;
    private readonly CbpfPacketBackend _backend;
    private readonly short _scratchBase;
    private readonly BpfBoundsPlan _plan;
    private readonly CbpfControlFlow _flow;
    private readonly EbpfLabel?[] _labels;
    private readonly EbpfLabel _reject;
    private readonly EbpfLabel _clamp;
    private readonly EbpfLabel _end;
    private bool _rejectUsed;
    private bool _clampUsed;

    private CbpfFragment(EbpfAssembler asm, BpfInstruction[] program, CbpfPacketBackend backend, short scratchBase)
    {
        _asm = asm;
        _program = program;
        _backend = backend;
        _scratchBase = scratchBase;
        _plan = BpfBoundsPlan.Create(program, BpfDialect.Kernel);
        _flow = CbpfControlFlow.Analyze(program, _plan, backend.Limit);
        _labels = new EbpfLabel?[program.Length];
        _reject = asm.DefineLabel();
        _clamp = asm.DefineLabel();
        _end = asm.DefineLabel();
    }

    public static void Emit(EbpfAssembler asm, BpfProgram program, CbpfPacketBackend backend, short scratchBase)
    {
        ArgumentNullException.ThrowIfNull(asm);
        ArgumentNullException.ThrowIfNull(program);
        if (scratchBase % 4 != 0 || scratchBase < -512 || scratchBase > -64)
            throw new ArgumentOutOfRangeException(nameof(scratchBase), scratchBase,
                "the scratch memory M[0..15] takes 64 bytes of stack at a 4-byte aligned offset between -512 and -64 from the frame pointer");
        var instructions = program.Instructions.ToArray();
        if (program.Dialect != BpfDialect.Kernel && BpfValidator.TryValidate(instructions, BpfDialect.Kernel) is { } invalid)
            throw new CbpfTranslationException(-1,
                $"the program is translated with the kernel's classic semantics, but the kernel's checker refuses it: {invalid.Message}");
        new CbpfFragment(asm, instructions, backend, scratchBase).EmitAll();
    }

    private void EmitAll()
    {
        if (NeedsPacket()) _backend.EmitPrologue(_asm);
        _asm.Mov32(A, 0).Mov32(X, 0);
        for (int pc = 0; pc < _program.Length; pc++)
        {
            if (!_flow.IsReachable(pc)) continue;
            if (_labels[pc] is { } label) _asm.Mark(label);
            if (_flow.Rejects(pc))
            {
                Reject();
                continue;
            }
            ulong need = _plan.CheckBefore(pc);
            if (need != 0) _backend.EmitGuard(_asm, (int)need, RejectLabel());
            Translate(pc, _program[pc]);
        }
        EmitTail();
    }

    /// <summary>The exits: the snap length min(result, len) in R0, or 0.</summary>
    private void EmitTail()
    {
        if (_clampUsed)
        {
            _asm.Mark(_clamp);
            _backend.EmitLength(_asm, Temp);
            _asm.Jump32(EbpfJumpOp.LessOrEqual, Result, Temp, _end).Mov32(Result, Temp);
            if (_rejectUsed) _asm.Jump(_end);
        }
        if (_rejectUsed)
        {
            _asm.Mark(_reject);
            _asm.Mov32(Result, 0);
        }
        _asm.Mark(_end);
    }

    private bool NeedsPacket()
    {
        for (int pc = 0; pc < _program.Length; pc++)
        {
            if (!_flow.IsReachable(pc) || _flow.Rejects(pc)) continue;
            var insn = _program[pc];
            bool load = insn.Code is BpfOpcode.LdIndW or BpfOpcode.LdIndH or BpfOpcode.LdIndB or BpfOpcode.LdxMsh
                || (insn.Code is BpfOpcode.LdAbsW or BpfOpcode.LdAbsH or BpfOpcode.LdAbsB && insn.K < BpfAncillary.Base);
            if (load || _plan.CheckBefore(pc) != 0) return true;
        }
        return false;
    }

    private void Translate(int pc, BpfInstruction insn)
    {
        switch (insn.Class)
        {
            case BpfOpcode.ClassLd:
            case BpfOpcode.ClassLdx:
                TranslateLoad(pc, insn);
                break;
            case BpfOpcode.ClassSt:
                _asm.Store(EbpfSize.Word, R10, Slot(insn.K), A);
                break;
            case BpfOpcode.ClassStx:
                _asm.Store(EbpfSize.Word, R10, Slot(insn.K), X);
                break;
            case BpfOpcode.ClassAlu:
                TranslateAlu(insn);
                break;
            case BpfOpcode.ClassJmp:
                TranslateJump(pc, insn);
                break;
            case BpfOpcode.ClassRet:
                TranslateReturn(pc, insn);
                break;
            case BpfOpcode.ClassMisc:
                if (insn.Code == BpfOpcode.Tax) _asm.Mov32(X, A);
                else _asm.Mov32(A, X);
                break;
        }
    }

    private void TranslateLoad(int pc, BpfInstruction insn)
    {
        switch (insn.Code)
        {
            case BpfOpcode.LdImm: _asm.Mov32(A, (int)insn.K); return;
            case BpfOpcode.LdxImm: _asm.Mov32(X, (int)insn.K); return;
            case BpfOpcode.LdLen: _backend.EmitLength(_asm, A); return;
            case BpfOpcode.LdxLen: _backend.EmitLength(_asm, X); return;
            case BpfOpcode.LdMem: _asm.Load(EbpfSize.Word, A, R10, Slot(insn.K)); return;
            case BpfOpcode.LdxMem: _asm.Load(EbpfSize.Word, X, R10, Slot(insn.K)); return;
            case BpfOpcode.LdxMsh:
                AbsoluteLoad(pc, insn, EbpfSize.Byte, X);
                _asm.Alu32(EbpfAluOp.And, X, 0xf).Alu32(EbpfAluOp.Lsh, X, 2);
                return;
        }
        var size = (insn.Code & 0x18) switch
        {
            BpfOpcode.SizeW => EbpfSize.Word,
            BpfOpcode.SizeH => EbpfSize.Half,
            _ => EbpfSize.Byte,
        };
        if ((insn.Code & 0xe0) == BpfOpcode.ModeInd)
        {
            // X + k wraps as a u32, as the kernel's loader computes it.
            _asm.Mov32(Temp, X).Alu32(EbpfAluOp.Add, Temp, (int)insn.K);
            _backend.EmitIndirectLoad(_asm, size, A, RejectLabel());
            ToNumber(size, A);
            return;
        }
        if (insn.K >= BpfAncillary.Base)
        {
            // The size bits are ignored: ldb [proto] returns the whole protocol, as in the kernel.
            int number = (int)(insn.K - BpfAncillary.Base);
            if (number == BpfAncillary.AluXorX) _asm.Alu32(EbpfAluOp.Xor, A, X);
            else _backend.EmitAncillary(_asm, number, A, pc);
            return;
        }
        AbsoluteLoad(pc, insn, size, A);
        ToNumber(size, A);
    }

    /// <summary>A load from a constant offset, guarded here unless the region's guard already covers it.</summary>
    private void AbsoluteLoad(int pc, BpfInstruction insn, EbpfSize size, EbpfRegister destination)
    {
        int bytes = CbpfPacketBackend.Bytes(size);
        var (kind, offset) = CbpfAddress.Resolve(insn.K, bytes, _backend.Limit);
        if (kind == CbpfAddressKind.NetworkRelative) throw CbpfRefusals.NetworkRelative(pc, _backend.HookName);
        // (Fails never gets here: the control flow turned it into a reject.)
        if (!_plan.IsCovered(pc)) _backend.EmitGuard(_asm, offset + bytes, RejectLabel());
        _backend.EmitLoad(_asm, size, destination, offset);
    }

    /// <summary>Packet bytes are big-endian; the register holds them as loaded on a little-endian host.</summary>
    private void ToNumber(EbpfSize size, EbpfRegister register)
    {
        if (size == EbpfSize.Half) _asm.ToBigEndian(register, 16);
        else if (size == EbpfSize.Word) _asm.ToBigEndian(register, 32);
    }

    private void TranslateAlu(BpfInstruction insn)
    {
        var op = (EbpfAluOp)insn.Operation; // the classic and eBPF operation numbers are the same
        if (op == EbpfAluOp.Neg)
        {
            _asm.Alu32(EbpfAluOp.Neg, A, 0);
            return;
        }
        if (insn.Source == BpfOpcode.SrcK)
        {
            _asm.Alu32(op, A, (int)insn.K);
            return;
        }
        // Classic division by X = 0 ends the program with 0; eBPF would go on with 0 (div) or A (mod).
        if (op is EbpfAluOp.Div or EbpfAluOp.Mod) _asm.Jump32(EbpfJumpOp.Equal, X, 0, RejectLabel());
        _asm.Alu32(op, A, X);
    }

    private void TranslateJump(int pc, BpfInstruction insn)
    {
        int next = _flow.Next(pc);
        bool IsNext(int target) => target == next && !_flow.RejectsAtOnce(target);
        if (insn.Code == BpfOpcode.Ja)
        {
            GotoUnlessNext((int)(pc + 1 + insn.K), next);
            return;
        }
        int whenTrue = pc + 1 + insn.JumpTrue, whenFalse = pc + 1 + insn.JumpFalse;
        if (whenTrue == whenFalse)
        {
            GotoUnlessNext(whenTrue, next);
            return;
        }
        var op = (EbpfJumpOp)insn.Operation;
        bool byX = insn.Source == BpfOpcode.SrcX;
        if (IsNext(whenTrue) && op != EbpfJumpOp.AnyBitSet)
        {
            Compare(Inverse(op), byX, insn.K, Target(whenFalse));
            return;
        }
        if (IsNext(whenTrue))
        {
            // No "no bit set" jump in eBPF: test A & src == 0.
            _asm.Mov32(Temp, A);
            if (byX) _asm.Alu32(EbpfAluOp.And, Temp, X);
            else _asm.Alu32(EbpfAluOp.And, Temp, (int)insn.K);
            _asm.Jump32(EbpfJumpOp.Equal, Temp, 0, Target(whenFalse));
            return;
        }
        Compare(op, byX, insn.K, Target(whenTrue));
        GotoUnlessNext(whenFalse, next);
    }

    private void Compare(EbpfJumpOp op, bool byX, uint k, EbpfLabel target)
    {
        // JMP32 compares the low 32 bits with the immediate as a u32, so k >= 2^31 needs no temporary.
        if (byX) _asm.Jump32(op, A, X, target);
        else _asm.Jump32(op, A, (int)k, target);
    }

    private static EbpfJumpOp Inverse(EbpfJumpOp op) => op switch
    {
        EbpfJumpOp.Equal => EbpfJumpOp.NotEqual,
        EbpfJumpOp.Greater => EbpfJumpOp.LessOrEqual,
        EbpfJumpOp.GreaterOrEqual => EbpfJumpOp.Less,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "no inverse"),
    };

    private void GotoUnlessNext(int target, int next)
    {
        if (target != next || _flow.RejectsAtOnce(target)) _asm.Jump(Target(target));
    }

    private void TranslateReturn(int pc, BpfInstruction insn)
    {
        if (insn.Code == BpfOpcode.RetK && insn.K == 0)
        {
            Reject();
            return;
        }
        if (insn.Code == BpfOpcode.RetK) _asm.Mov32(Result, (int)insn.K);
        else _asm.Mov32(Result, A);
        _clampUsed = true;
        // The last instruction falls into the clamp, which comes next.
        if (pc != _flow.Last) _asm.Jump(_clamp);
    }

    private void Reject() => _asm.Jump(RejectLabel());

    private EbpfLabel RejectLabel()
    {
        _rejectUsed = true;
        return _reject;
    }

    /// <summary>Where a jump to classic instruction <paramref name="pc"/> goes: the reject exit when it would reject at once.</summary>
    private EbpfLabel Target(int pc) => _flow.RejectsAtOnce(pc) ? RejectLabel() : _labels[pc] ??= _asm.DefineLabel();

    private short Slot(uint k) => (short)(_scratchBase + 4 * (int)k);
}
