namespace Wirecap.Ebpf.Translation;

/// <summary>
/// How a translated fragment reaches the packet: the part of the translation that differs between direct packet
/// access at TC (<see cref="DirectPacketBackend"/>) and a packet already copied into a buffer
/// (<see cref="CopiedPacketBackend"/>). Offsets here are from the packet's first byte (the mac header).
/// Implementations may clobber only <see cref="CbpfRegisters.Result"/> and <see cref="CbpfRegisters.Temp"/>
/// besides the destination they are given, and must not write <see cref="CbpfRegisters.A"/> or
/// <see cref="CbpfRegisters.X"/> unless that is the destination.
/// </summary>
internal abstract class CbpfPacketBackend
{
    /// <summary>The largest end offset (offset + size) a load can ever reach; a load beyond it is a certain reject.</summary>
    public abstract int Limit { get; }

    /// <summary>What the hook is called in refusals (e.g. "the TC hook").</summary>
    public abstract string HookName { get; }

    /// <summary>Sets up what loads need (run once, before the first classic instruction, when the program loads packet bytes).</summary>
    public abstract void EmitPrologue(EbpfAssembler asm);

    /// <summary>Proves that the first <paramref name="length"/> bytes (1…<see cref="Limit"/>) are present, else jumps to <paramref name="reject"/>.</summary>
    public abstract void EmitGuard(EbpfAssembler asm, int length, EbpfLabel reject);

    /// <summary><c>destination = *(size *)(packet + offset)</c> in host order, for bytes a guard has proven present.</summary>
    public abstract void EmitLoad(EbpfAssembler asm, EbpfSize size, EbpfRegister destination, int offset);

    /// <summary>The indirect load: <see cref="CbpfRegisters.Temp"/> holds the offset as a zero-extended u32; loads
    /// <paramref name="size"/> bytes there into <paramref name="destination"/> in host order, or jumps to
    /// <paramref name="reject"/> when they lie outside the packet.</summary>
    public abstract void EmitIndirectLoad(EbpfAssembler asm, EbpfSize size, EbpfRegister destination, EbpfLabel reject);

    /// <summary><c>destination = len</c> (classic <c>ld len</c>: the packet's whole length), zero-extended.</summary>
    public abstract void EmitLength(EbpfAssembler asm, EbpfRegister destination);

    /// <summary><c>destination = ancillary n</c> (<c>SKF_AD_OFF + n</c>, as a number), or a
    /// <see cref="CbpfTranslationException"/> naming it when the hook has no such field.</summary>
    public abstract void EmitAncillary(EbpfAssembler asm, int number, EbpfRegister destination, int programCounter);

    /// <summary><c>destination = *(size *)(pointer + offset)</c>; an offset beyond the instruction's 16-bit field goes
    /// through <see cref="CbpfRegisters.Temp"/>.</summary>
    protected static void LoadAt(EbpfAssembler asm, EbpfSize size, EbpfRegister destination, EbpfRegister pointer, int offset)
    {
        if (offset <= short.MaxValue)
        {
            asm.Load(size, destination, pointer, (short)offset);
            return;
        }
        asm.Mov64(CbpfRegisters.Temp, pointer).Alu64(EbpfAluOp.Add, CbpfRegisters.Temp, offset).Load(size, destination, CbpfRegisters.Temp, 0);
    }

    /// <summary>The byte count of a load size.</summary>
    public static int Bytes(EbpfSize size) => size switch
    {
        EbpfSize.Byte => 1,
        EbpfSize.Half => 2,
        EbpfSize.Word => 4,
        _ => 8,
    };
}
