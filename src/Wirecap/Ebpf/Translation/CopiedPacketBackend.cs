using static Wirecap.Ebpf.Translation.CbpfRegisters;

namespace Wirecap.Ebpf.Translation;

/// <summary>
/// A packet whose first bytes were already copied into memory the program owns (a reserved ring-buffer record, a map
/// value, the stack): <paramref name="bytes"/> points at the copy of the frame's first byte and the verifier knows at
/// least <paramref name="capacity"/> bytes there; <paramref name="captured"/> holds how many were copied (0…capacity)
/// and <paramref name="wireLength"/> the packet's length on the wire, both zero-extended. A load is plain memory access,
/// bounded by the constant capacity for the verifier and by the captured count for the semantics: a load past the
/// copied bytes rejects, as libpcap's does past the captured length. No socket-buffer metadata is at hand, so every
/// ancillary load is refused.
/// </summary>
internal sealed class CopiedPacketBackend(EbpfRegister bytes, EbpfRegister captured, EbpfRegister wireLength, int capacity)
    : CbpfPacketBackend
{
    public override int Limit => capacity;

    public override string HookName => "a copied packet (probe)";

    public override void EmitPrologue(EbpfAssembler asm)
    {
    }

    public override void EmitGuard(EbpfAssembler asm, int length, EbpfLabel reject) =>
        asm.Jump(EbpfJumpOp.Less, captured, length, reject);

    public override void EmitLoad(EbpfAssembler asm, EbpfSize size, EbpfRegister destination, int offset) =>
        LoadAt(asm, size, destination, bytes, offset);

    public override void EmitIndirectLoad(EbpfAssembler asm, EbpfSize size, EbpfRegister destination, EbpfLabel reject)
    {
        int width = Bytes(size); // the translator never asks for more than the capacity (such a load is a certain reject)
        // The constant bound is for the verifier (the access stays inside the buffer), the captured one for the result.
        asm.Jump(EbpfJumpOp.Greater, Temp, capacity - width, reject)
           .Mov64(Result, Temp)
           .Alu64(EbpfAluOp.Add, Result, width)
           .Jump(EbpfJumpOp.Greater, Result, captured, reject)
           .Alu64(EbpfAluOp.Add, Temp, bytes)
           .Load(size, destination, Temp, 0);
    }

    public override void EmitLength(EbpfAssembler asm, EbpfRegister destination) => asm.Mov32(destination, wireLength);

    public override void EmitAncillary(EbpfAssembler asm, int number, EbpfRegister destination, int programCounter) =>
        throw CbpfRefusals.Ancillary(number, programCounter, HookName,
            "only the copied bytes are at hand, no socket-buffer metadata; filter on packet bytes instead");
}
