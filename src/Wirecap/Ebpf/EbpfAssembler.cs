namespace Wirecap.Ebpf;

/// <summary>
/// Builds eBPF programs instruction by instruction, with labels for jump targets (resolved by <see cref="Build"/>)
/// and map references (<see cref="LoadMap"/>). Every method appends one instruction (two for 64-bit immediates)
/// and returns the assembler, so short sequences read as one expression.
/// </summary>
/// <example><code>
/// var asm = new EbpfAssembler();
/// var done = asm.DefineLabel();
/// asm.Mov64(EbpfRegister.R0, 0).Jump(EbpfJumpOp.Equal, EbpfRegister.R1, 0, done).Mov64(EbpfRegister.R0, 1);
/// asm.Mark(done).Exit();
/// EbpfCode code = asm.Build();
/// </code></example>
public sealed class EbpfAssembler
{
    private readonly List<EbpfInstruction> _code = [];
    private readonly List<int> _labels = [];
    private readonly List<(int At, EbpfLabel Label)> _jumps = [];
    private readonly List<EbpfMap> _maps = [];

    /// <summary>Number of instruction slots emitted so far (the index the next instruction gets).</summary>
    public int Count => _code.Count;

    /// <summary>A new label, to be placed once with <see cref="Mark"/>.</summary>
    public EbpfLabel DefineLabel()
    {
        _labels.Add(-1);
        return new EbpfLabel(_labels.Count - 1);
    }

    /// <summary>Places <paramref name="label"/> at the next instruction.</summary>
    public EbpfAssembler Mark(EbpfLabel label)
    {
        if (_labels[label.Id] >= 0) throw new EbpfAssemblyException($"label {label.Id} is placed twice (at {_labels[label.Id]} and {Count})");
        _labels[label.Id] = Count;
        return this;
    }

    /// <summary>True once <paramref name="label"/> has been placed.</summary>
    public bool IsMarked(EbpfLabel label) => _labels[label.Id] >= 0;

    /// <summary>Appends a raw instruction.</summary>
    public EbpfAssembler Emit(EbpfInstruction instruction)
    {
        _code.Add(instruction);
        return this;
    }

    /// <summary><c>dst op= src</c> on 64 bits.</summary>
    public EbpfAssembler Alu64(EbpfAluOp op, EbpfRegister dst, EbpfRegister src) => Alu(EbpfOpcode.ClassAlu64, op, dst, src);

    /// <summary><c>dst op= imm</c> on 64 bits (the immediate is sign-extended).</summary>
    public EbpfAssembler Alu64(EbpfAluOp op, EbpfRegister dst, int imm) => Alu(EbpfOpcode.ClassAlu64, op, dst, imm);

    /// <summary><c>dst op= src</c> on the low 32 bits, zero-extending the result.</summary>
    public EbpfAssembler Alu32(EbpfAluOp op, EbpfRegister dst, EbpfRegister src) => Alu(EbpfOpcode.ClassAlu, op, dst, src);

    /// <summary><c>dst op= imm</c> on the low 32 bits, zero-extending the result.</summary>
    public EbpfAssembler Alu32(EbpfAluOp op, EbpfRegister dst, int imm) => Alu(EbpfOpcode.ClassAlu, op, dst, imm);

    /// <summary><c>dst = src</c> (64 bits).</summary>
    public EbpfAssembler Mov64(EbpfRegister dst, EbpfRegister src) => Alu64(EbpfAluOp.Mov, dst, src);

    /// <summary><c>dst = imm</c>, sign-extended to 64 bits.</summary>
    public EbpfAssembler Mov64(EbpfRegister dst, int imm) => Alu64(EbpfAluOp.Mov, dst, imm);

    /// <summary><c>dst = (u32)src</c>.</summary>
    public EbpfAssembler Mov32(EbpfRegister dst, EbpfRegister src) => Alu32(EbpfAluOp.Mov, dst, src);

    /// <summary><c>dst = (u32)imm</c>.</summary>
    public EbpfAssembler Mov32(EbpfRegister dst, int imm) => Alu32(EbpfAluOp.Mov, dst, imm);

    /// <summary>Converts the low <paramref name="bits"/> (16, 32 or 64) of <paramref name="dst"/> between host
    /// (little) and network (big) byte order, zero-extending: <c>dst = be16 dst</c>.</summary>
    public EbpfAssembler ToBigEndian(EbpfRegister dst, int bits) => Endian(EbpfOpcode.SourceX, dst, bits);

    /// <summary>Truncates <paramref name="dst"/> to its low <paramref name="bits"/> in little-endian order: <c>dst = le16 dst</c>.</summary>
    public EbpfAssembler ToLittleEndian(EbpfRegister dst, int bits) => Endian(EbpfOpcode.SourceK, dst, bits);

    /// <summary><c>dst = imm</c> for a full 64-bit constant (two slots).</summary>
    public EbpfAssembler LoadImmediate64(EbpfRegister dst, long imm)
    {
        _code.Add(new EbpfInstruction(WideLoad, dst, 0, 0, (int)imm));
        _code.Add(new EbpfInstruction(0, 0, 0, 0, (int)(imm >> 32)));
        return this;
    }

    /// <summary><c>dst = map</c>: the pointer to <paramref name="map"/> the helpers take (two slots, <c>BPF_PSEUDO_MAP_FD</c>).</summary>
    public EbpfAssembler LoadMap(EbpfRegister dst, EbpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!_maps.Contains(map)) _maps.Add(map);
        _code.Add(new EbpfInstruction(WideLoad, dst, (EbpfRegister)EbpfOpcode.PseudoMapFd, 0, map.Handle.Descriptor));
        _code.Add(new EbpfInstruction(0, 0, 0, 0, 0));
        return this;
    }

    /// <summary><c>dst = *(size *)(src + offset)</c>, zero-extended.</summary>
    public EbpfAssembler Load(EbpfSize size, EbpfRegister dst, EbpfRegister src, short offset) =>
        Emit(new EbpfInstruction((byte)(EbpfOpcode.ClassLdx | (byte)size | EbpfOpcode.ModeMem), dst, src, offset, 0));

    /// <summary><c>*(size *)(dst + offset) = src</c>.</summary>
    public EbpfAssembler Store(EbpfSize size, EbpfRegister dst, short offset, EbpfRegister src) =>
        Emit(new EbpfInstruction((byte)(EbpfOpcode.ClassStx | (byte)size | EbpfOpcode.ModeMem), dst, src, offset, 0));

    /// <summary><c>*(size *)(dst + offset) = imm</c>.</summary>
    public EbpfAssembler StoreImmediate(EbpfSize size, EbpfRegister dst, short offset, int imm) =>
        Emit(new EbpfInstruction((byte)(EbpfOpcode.ClassSt | (byte)size | EbpfOpcode.ModeMem), dst, 0, offset, imm));

    /// <summary><c>goto label</c>.</summary>
    public EbpfAssembler Jump(EbpfLabel label) => JumpTo(EbpfOpcode.ClassJmp | (byte)EbpfJumpOp.Always, 0, 0, 0, label);

    /// <summary><c>if dst op imm goto label</c>, comparing 64 bits (the immediate sign-extended).</summary>
    public EbpfAssembler Jump(EbpfJumpOp op, EbpfRegister dst, int imm, EbpfLabel label) =>
        JumpTo((byte)(EbpfOpcode.ClassJmp | EbpfOpcode.SourceK | Conditional(op)), dst, 0, imm, label);

    /// <summary><c>if dst op src goto label</c>, comparing 64 bits.</summary>
    public EbpfAssembler Jump(EbpfJumpOp op, EbpfRegister dst, EbpfRegister src, EbpfLabel label) =>
        JumpTo((byte)(EbpfOpcode.ClassJmp | EbpfOpcode.SourceX | Conditional(op)), dst, src, 0, label);

    /// <summary><c>if wdst op imm goto label</c>, comparing the low 32 bits.</summary>
    public EbpfAssembler Jump32(EbpfJumpOp op, EbpfRegister dst, int imm, EbpfLabel label) =>
        JumpTo((byte)(EbpfOpcode.ClassJmp32 | EbpfOpcode.SourceK | Conditional(op)), dst, 0, imm, label);

    /// <summary><c>if wdst op wsrc goto label</c>, comparing the low 32 bits.</summary>
    public EbpfAssembler Jump32(EbpfJumpOp op, EbpfRegister dst, EbpfRegister src, EbpfLabel label) =>
        JumpTo((byte)(EbpfOpcode.ClassJmp32 | EbpfOpcode.SourceX | Conditional(op)), dst, src, 0, label);

    /// <summary>Calls a kernel helper; arguments in R1–R5, result in R0; R1–R5 are clobbered.</summary>
    public EbpfAssembler Call(EbpfHelper helper) => Call((int)helper);

    /// <summary>Calls the kernel helper number <paramref name="helperId"/>.</summary>
    public EbpfAssembler Call(int helperId) =>
        Emit(new EbpfInstruction(EbpfOpcode.ClassJmp | (byte)EbpfJumpOp.Call, 0, 0, 0, helperId));

    /// <summary>Returns R0.</summary>
    public EbpfAssembler Exit() => Emit(new EbpfInstruction(EbpfOpcode.ClassJmp | (byte)EbpfJumpOp.Exit, 0, 0, 0, 0));

    /// <summary>Resolves the labels and returns the program.</summary>
    /// <exception cref="EbpfAssemblyException">A label was used but not placed, or a jump does not fit 16 bits.</exception>
    public EbpfCode Build()
    {
        var code = _code.ToArray();
        foreach (var (at, label) in _jumps)
        {
            int target = _labels[label.Id];
            if (target < 0) throw new EbpfAssemblyException($"label {label.Id} is jumped to from instruction {at} but never placed");
            int offset = target - (at + 1);
            if (offset is < short.MinValue or > short.MaxValue)
                throw new EbpfAssemblyException($"the jump at instruction {at} to {target} does not fit a 16-bit offset");
            var insn = code[at];
            code[at] = new EbpfInstruction(insn.Opcode, insn.Destination, insn.Source, (short)offset, insn.Immediate);
        }
        return new EbpfCode(code, _maps.ToArray());
    }

    private const byte WideLoad = EbpfOpcode.ClassLd | EbpfOpcode.SizeDW | EbpfOpcode.ModeImm;

    private EbpfAssembler Alu(byte cls, EbpfAluOp op, EbpfRegister dst, EbpfRegister src) =>
        Emit(new EbpfInstruction((byte)(cls | EbpfOpcode.SourceX | (byte)op), dst, src, 0, 0));

    private EbpfAssembler Alu(byte cls, EbpfAluOp op, EbpfRegister dst, int imm) =>
        Emit(new EbpfInstruction((byte)(cls | EbpfOpcode.SourceK | (byte)op), dst, 0, 0, imm));

    private EbpfAssembler Endian(byte source, EbpfRegister dst, int bits)
    {
        if (bits is not (16 or 32 or 64)) throw new EbpfAssemblyException($"a byte swap is 16, 32 or 64 bits wide, not {bits}");
        return Emit(new EbpfInstruction((byte)(EbpfOpcode.ClassAlu | source | (byte)EbpfAluOp.End), dst, 0, 0, bits));
    }

    private static byte Conditional(EbpfJumpOp op) => op is EbpfJumpOp.Always or EbpfJumpOp.Call or EbpfJumpOp.Exit
        ? throw new EbpfAssemblyException($"{op} is not a conditional jump")
        : (byte)op;

    private EbpfAssembler JumpTo(int opcode, EbpfRegister dst, EbpfRegister src, int imm, EbpfLabel label)
    {
        _jumps.Add((Count, label));
        return Emit(new EbpfInstruction((byte)opcode, dst, src, 0, imm));
    }
}
