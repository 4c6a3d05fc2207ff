using Wirecap.Ebpf;

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

    private sealed class Constant(int keep) : TcSnapLength
    {
        public override string Description => "keep all";

        public override void Emit(EbpfAssembler a, EbpfLabel done) => a.Mov32(Result, keep);
    }
}
