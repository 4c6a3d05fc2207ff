using Wirecap.Bpf;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Ebpf.Translation;

/// <summary>
/// Translates a classic BPF filter into an eBPF fragment emitted into an existing <see cref="EbpfAssembler"/>, so a
/// capture program can run the filter inline: with direct packet access at TC (<see cref="EmitDirect"/>) or over a
/// packet already copied into a buffer (<see cref="EmitCopied"/>). <see cref="BuildClassifier"/> wraps a fragment into
/// a complete <c>SCHED_CLS</c> program returning the snap length, for tests and <c>BPF_PROG_TEST_RUN</c>.
/// </summary>
/// <remarks>
/// <para><b>Register contract.</b> Inputs are in callee-saved registers R6–R9 (the context for <see cref="EmitDirect"/>;
/// the buffer pointer, copied count and wire length for <see cref="EmitCopied"/>), which the fragment reads and never
/// writes. It clobbers R0–R5 (A is R2, X is R3; at TC R4/R5 hold <c>data</c>/<c>data_end</c>) and calls no helper.
/// It ends by falling through to the instruction emitted after it, with the result in R0 as a zero-extended u32.</para>
/// <para><b>Stack.</b> The scratch memory M[k] is the u32 at <c>R10 + scratchBase + 4k</c>: the 64 bytes
/// [scratchBase, scratchBase + 64), by default [-64, 0). The caller keeps its own stack slots out of that range. Slots are
/// not zeroed: the kernel's classic checker (<see cref="BpfValidator"/>) proves each is written before it is read on
/// every path, and the fragment keeps the classic control flow.</para>
/// <para><b>Result.</b> The classic return value clamped to the packet length, <c>min(ret, len)</c>: the number of bytes
/// to keep (what a packet socket keeps), 0 to reject. At TC <c>len</c> is <c>skb-&gt;len</c>; for a copied packet it
/// is the wire length register, so a caller copies <c>min(result, copied)</c>.</para>
/// <para><b>Semantics</b> are the kernel's (<c>sk_run_filter</c>), so a filter keeps what it would keep on a packet
/// socket: A and X start at 0; 32-bit unsigned arithmetic; <c>div x</c>/<c>mod x</c> with X = 0 and any failing load
/// return 0; shifts by X use X &amp; 31; <c>ld [SKF_LL_OFF + d]</c> reads the frame's byte d. Loads reach only the
/// linear bytes at TC (pull paged data first with <c>bpf_skb_pull_data</c> when that matters) and only the copied bytes
/// of a copied packet. Refused with a <see cref="CbpfTranslationException"/> naming the instruction: ancillary loads the
/// hook has no field for (at TC: NLATTR, NLATTR_NEST, HATYPE, CPU, PAY_OFFSET, RANDOM; on a copied packet all but
/// ALU_XOR_X) and absolute loads relative to <c>SKF_NET_OFF</c>. An indirect load whose <c>X + k</c> lands in the
/// negative (header-relative) range rejects the packet. A program validated for <see cref="BpfDialect.Libpcap"/> must
/// also pass the kernel's checker; it then runs with the kernel's semantics (the filter compiler's programs do).</para>
/// <para>Dead classic instructions are not emitted (the verifier refuses unreachable code), nor is anything after a load
/// that fails on every packet.</para>
/// </remarks>
internal static class CbpfTranslator
{
    /// <summary>The default frame-pointer offset of M[0]: the top 64 bytes of the stack.</summary>
    public const short DefaultScratchBase = -64;

    /// <summary>Emits the filter over the packet of the <c>__sk_buff</c> context in <paramref name="context"/> (R6–R9),
    /// for <c>SCHED_CLS</c> programs (TC, tcx) with direct packet access. At an egress hook (<paramref name="egress"/>)
    /// the packet type reads as <c>PACKET_OUTGOING</c>, as a packet socket sees a packet leaving.</summary>
    /// <exception cref="CbpfTranslationException">The program reads something the TC hook does not have.</exception>
    public static void EmitDirect(EbpfAssembler asm, BpfProgram program, EbpfRegister context, short scratchBase = DefaultScratchBase, bool egress = false)
    {
        RequirePreserved(context, nameof(context));
        CbpfFragment.Emit(asm, program, new DirectPacketBackend(context, egress), scratchBase);
    }

    /// <summary>Emits the filter over a packet already copied into memory the program owns (see <see cref="CbpfCopiedPacket"/>).</summary>
    /// <exception cref="CbpfTranslationException">The program reads socket-buffer metadata (an ancillary load) or the network header offset.</exception>
    public static void EmitCopied(EbpfAssembler asm, BpfProgram program, CbpfCopiedPacket packet, short scratchBase = DefaultScratchBase)
    {
        RequirePreserved(packet.Bytes, nameof(packet));
        RequirePreserved(packet.CopiedLength, nameof(packet));
        RequirePreserved(packet.WireLength, nameof(packet));
        if (packet.Bytes == packet.CopiedLength || packet.Bytes == packet.WireLength)
            throw new ArgumentException("the buffer pointer needs a register of its own", nameof(packet));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(packet.Capacity);
        CbpfFragment.Emit(asm, program, new CopiedPacketBackend(packet.Bytes, packet.CopiedLength, packet.WireLength, packet.Capacity), scratchBase);
    }

    /// <summary>A complete <c>SCHED_CLS</c> program that returns the filter's snap length (0: reject) for the packet.</summary>
    /// <exception cref="CbpfTranslationException">The program reads something the TC hook does not have.</exception>
    public static EbpfCode BuildClassifier(BpfProgram program)
    {
        var asm = new EbpfAssembler();
        asm.Mov64(R6, R1);
        EmitDirect(asm, program, R6);
        asm.Exit();
        return asm.Build();
    }

    private static void RequirePreserved(EbpfRegister register, string parameter)
    {
        if (!CbpfRegisters.IsPreserved(register))
            throw new ArgumentException($"the fragment clobbers R0–R5: pass its inputs in R6–R9, not {register}", parameter);
    }
}

/// <summary>Where a copied packet is, for <see cref="CbpfTranslator.EmitCopied"/>.</summary>
/// <param name="Bytes">Register (R6–R9) pointing at the copy of the frame's first byte; the verifier must know at least
/// <paramref name="Capacity"/> bytes there (e.g. a ring-buffer record reserved with a constant size).</param>
/// <param name="CopiedLength">Register (R6–R9) holding the number of bytes copied, 0…<paramref name="Capacity"/>, zero-extended.</param>
/// <param name="WireLength">Register (R6–R9) holding the packet's whole length, what <c>ld len</c> returns.</param>
/// <param name="Capacity">The buffer's size: loads beyond it reject without looking.</param>
internal readonly record struct CbpfCopiedPacket(EbpfRegister Bytes, EbpfRegister CopiedLength, EbpfRegister WireLength, int Capacity);
