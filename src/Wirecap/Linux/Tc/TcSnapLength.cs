using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Translation;

namespace Wirecap.Linux.Tc;

/// <summary>
/// The seam between a TC capture program and its filter: code that decides, per packet, how many bytes to keep.
/// <see cref="Emit"/> runs with the <c>__sk_buff</c> context in <see cref="Context"/> (R6, which it must keep) and
/// leaves the bytes to keep in <see cref="Result"/> (R7, a u32; 0: the packet is not captured), then falls through
/// or jumps to <c>done</c>. It may use R0–R5, R8, R9 and the stack as it likes; the program caps the result at the
/// packet's length and the capture's snap length.
/// </summary>
internal abstract class TcSnapLength
{
    public const EbpfRegister Context = EbpfRegister.R6;
    public const EbpfRegister Result = EbpfRegister.R7;

    /// <summary>Appends the decision to <paramref name="a"/>.</summary>
    public abstract void Emit(EbpfAssembler a, EbpfLabel done);

    /// <summary>What it runs, for the program's description (e.g. "keep all").</summary>
    public abstract string Description { get; }

    /// <summary>Every packet, cut to the snap length (the program caps the large constant).</summary>
    public static TcSnapLength KeepAll { get; } = new Constant(int.MaxValue);

    /// <summary>The classic filter translated into the program (<see cref="CbpfTranslator.EmitDirect"/>): its result,
    /// min(return value, packet length), is the bytes to keep, so a rejected packet never takes ring space.</summary>
    /// <exception cref="CbpfTranslationException">The filter reads something the TC hook does not have.</exception>
    public static TcSnapLength Filter(BpfProgram program, bool egress)
    {
        // Translate now, so a refusal comes before anything is loaded.
        CbpfTranslator.EmitDirect(new EbpfAssembler(), program, Context, egress: egress);
        return new Translated(program, egress);
    }

    private sealed class Translated(BpfProgram program, bool egress) : TcSnapLength
    {
        public override string Description => $"{program.Instructions.Length}-instruction classic filter, translated";

        public override void Emit(EbpfAssembler a, EbpfLabel done)
        {
            CbpfTranslator.EmitDirect(a, program, Context, egress: egress);
            a.Mov32(Result, EbpfRegister.R0);
        }
    }

    private sealed class Constant(int keep) : TcSnapLength
    {
        public override string Description => "keep all";

        public override void Emit(EbpfAssembler a, EbpfLabel done) => a.Mov32(Result, keep);
    }
}
