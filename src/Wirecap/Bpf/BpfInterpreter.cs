using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wirecap.Bpf;

/// <summary>
/// Runs a validated classic BPF program over one packet with the semantics of its
/// <see cref="BpfProgram.Dialect"/>: the kernel's <c>sk_run_filter</c> or libpcap's <c>bpf_filter</c>.
/// The result is the filter's return value: 0 drops the packet, anything else keeps at most that many bytes.
/// </summary>
/// <remarks>
/// Semantics common to both dialects: A and X start at 0, arithmetic is unsigned 32-bit with
/// wrap-around, comparisons are unsigned, a load that fails ends the program with 0, and
/// <c>div x</c>/<c>mod x</c> with X = 0 end it with 0. Kernel dialect: offsets are signed
/// (<c>X + k</c> wraps as a 32-bit value), negative offsets reach the headers through
/// <c>SKF_NET_OFF</c>/<c>SKF_LL_OFF</c>, <c>ld [SKF_AD_OFF + n]</c> are ancillary loads from the
/// <see cref="BpfContext"/>, shifts by X use X &amp; 31. libpcap dialect: offsets are unsigned
/// without wrap-around, shifts by X &gt;= 32 give 0, constant shifts use k &amp; 31 (what x86 does
/// with libpcap 1.10.3's unchecked C shift), <c>ja</c> offsets are signed; a <c>ja</c> to itself,
/// or more than 64 backward jumps for one packet, ends the program with 0 (libpcap's newer guard
/// against endless loops, which 1.10.3 would run forever); opcodes libpcap's validator lets through
/// but its interpreter does not know return 0. No allocation per run.
/// </remarks>
public static class BpfInterpreter
{
    private const int MaxBackwardJumps = 64;

    /// <summary>Runs <paramref name="program"/> over a contiguous packet.</summary>
    // The calls in front of the loop are inlined: under NativeAOT every filter runs here, once per packet read.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Run(BpfProgram program, ReadOnlySpan<byte> packet, in BpfContext context)
    {
        ArgumentNullException.ThrowIfNull(program);
        var view = new BpfPacketView(packet, context.DataOffset);
        return Execute(program, view, context);
    }

    /// <summary>Runs <paramref name="program"/> over a contiguous packet with a default context.</summary>
    public static uint Run(BpfProgram program, ReadOnlySpan<byte> packet) => Run(program, packet, BpfContext.None);

    /// <summary>
    /// Runs <paramref name="program"/> over a packet held in several segments, without copying it;
    /// loads that straddle segments work.
    /// </summary>
    public static uint Run(BpfProgram program, in ReadOnlySequence<byte> packet, in BpfContext context)
    {
        ArgumentNullException.ThrowIfNull(program);
        var view = new BpfPacketView(packet, context.DataOffset);
        return Execute(program, view, context);
    }

    private static uint Execute(BpfProgram program, in BpfPacketView packet, in BpfContext context)
    {
        Unsafe.SkipInit(out Scratch scratch);
        if (program.Dialect == BpfDialect.Kernel)
            return Execute<KernelDialect, FastPath>(program.Decoded, packet, context, 0, 0, 0, 0, ref scratch);
        // The kernel checker proves no slot is read before it is written; libpcap's does not, so
        // start from zeros there (as newer libpcap does) to stay deterministic.
        ((Span<uint>)scratch).Clear();
        return Execute<LibpcapDialect, FastPath>(program.Decoded, packet, context, 0, 0, 0, 0, ref scratch);
    }

    // Type arguments that make the dialect and the path constants the JIT folds away in each specialisation.
    private struct KernelDialect;
    private struct LibpcapDialect;

    /// <summary>
    /// Loads only from the first segment and calls nothing: without calls in the loop the JIT keeps
    /// A, X and the program counter in registers. A load it cannot do hands the run, from that
    /// instruction and with the same state, to <see cref="GeneralPath"/>.
    /// </summary>
    private struct FastPath;

    /// <summary>Also does ancillary, header-relative and later-segment loads, through calls.</summary>
    private struct GeneralPath;

    [SkipLocalsInit]
    private static uint Execute<TDialect, TPath>(
        BpfDecodedInstruction[] program, in BpfPacketView packet, in BpfContext context,
        nint pc, uint a, uint x, int backwardJumps, ref Scratch scratch)
        where TDialect : struct
        where TPath : struct
    {
        bool kernel = typeof(TDialect) == typeof(KernelDialect);
        bool fastPath = typeof(TPath) == typeof(FastPath);
        ref BpfDecodedInstruction code = ref MemoryMarshal.GetArrayDataReference(program);
        // Bytes from offset 0 that sit in the first segment: loads wholly inside need no further checks.
        int firstData = packet.First.Length - packet.DataOffset;
        ulong fast = firstData > 0 ? (ulong)firstData : 0;
        ref byte data = ref firstData > 0
            ? ref Unsafe.Add(ref MemoryMarshal.GetReference(packet.First), packet.DataOffset)
            : ref MemoryMarshal.GetReference(packet.First);
        ref uint memory = ref Unsafe.As<Scratch, uint>(ref scratch);

        long loaded; // a slow load's value, or -1 when it failed
        while (true)
        {
            ref BpfDecodedInstruction insn = ref Unsafe.Add(ref code, pc++);
            uint k = insn.K;
            switch (insn.Op)
            {
                case BpfDecodedOp.RetK:
                    return k;
                case BpfDecodedOp.RetA:
                    return a;

                // Loads: the first segment inline; anything else (ancillary, negative offsets, later segments,
                // out of bounds) leaves through SlowLoad, which knows every load op and where each goes on.
                case BpfDecodedOp.LdAbsW:
                    if ((ulong)k + 4 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt32(ref data, (nint)k);
                    break;
                case BpfDecodedOp.LdAbsH:
                    if ((ulong)k + 2 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt16(ref data, (nint)k);
                    break;
                case BpfDecodedOp.LdAbsB:
                    if (k >= fast) goto SlowLoad;
                    a = Unsafe.Add(ref data, (nint)k);
                    break;
                case BpfDecodedOp.LdIndW:
                {
                    ulong offset = IndirectOffset(kernel, x, k);
                    if (offset + 4 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt32(ref data, (nint)offset);
                    break;
                }
                case BpfDecodedOp.LdIndH:
                {
                    ulong offset = IndirectOffset(kernel, x, k);
                    if (offset + 2 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt16(ref data, (nint)offset);
                    break;
                }
                case BpfDecodedOp.LdIndB:
                {
                    ulong offset = IndirectOffset(kernel, x, k);
                    if (offset >= fast) goto SlowLoad;
                    a = Unsafe.Add(ref data, (nint)offset);
                    break;
                }
                case BpfDecodedOp.LdxMsh:
                    if (k >= fast) goto SlowLoad;
                    x = (Unsafe.Add(ref data, (nint)k) & 0xfu) << 2;
                    break;

                case BpfDecodedOp.LdAbsWThenJeqK:
                    if ((ulong)k + 4 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt32(ref data, (nint)k);
                    goto JeqKInNextSlot;
                case BpfDecodedOp.LdAbsHThenJeqK:
                    if ((ulong)k + 2 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt16(ref data, (nint)k);
                    goto JeqKInNextSlot;
                case BpfDecodedOp.LdAbsBThenJeqK:
                    if (k >= fast) goto SlowLoad;
                    a = Unsafe.Add(ref data, (nint)k);
                    goto JeqKInNextSlot;
                case BpfDecodedOp.LdIndHThenJeqK:
                {
                    ulong offset = IndirectOffset(kernel, x, k);
                    if (offset + 2 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt16(ref data, (nint)offset);
                    goto JeqKInNextSlot;
                }
                case BpfDecodedOp.LdAbsHThenJsetK:
                    if ((ulong)k + 2 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt16(ref data, (nint)k);
                    goto JsetKInNextSlot;
                case BpfDecodedOp.LdAbsWThenAndKThenJeqK:
                    if ((ulong)k + 4 > fast) goto SlowLoad;
                    a = BpfBytes.ReadUInt32(ref data, (nint)k);
                    goto AndKInNextSlot;
                case BpfDecodedOp.AndKThenJeqK:
                    a &= k;
                    goto JeqKInNextSlot;
                AndKInNextSlot:
                    a &= Unsafe.Add(ref code, pc++).K;
                    goto JeqKInNextSlot;
                JsetKInNextSlot:
                {
                    ref BpfDecodedInstruction jump = ref Unsafe.Add(ref code, pc++);
                    pc += (a & jump.K) != 0 ? jump.JumpTrue : jump.JumpFalse;
                    break;
                }
                SlowLoad:
                    // The fast path never calls: it hands this instruction, with the same state, to the general path.
                    if (fastPath)
                        goto ContinueOnGeneralPath;
                    if ((loaded = LoadSlow(insn.Op, kernel, packet, context, k, a, x)) < 0)
                        return 0;
                    if (insn.Op == BpfDecodedOp.LdxMsh)
                    {
                        x = ((uint)loaded & 0xf) << 2;
                        break;
                    }
                    a = (uint)loaded;
                    if (insn.Op is BpfDecodedOp.LdAbsWThenJeqK or BpfDecodedOp.LdAbsHThenJeqK or BpfDecodedOp.LdAbsBThenJeqK
                        or BpfDecodedOp.LdIndHThenJeqK)
                        goto JeqKInNextSlot;
                    if (insn.Op == BpfDecodedOp.LdAbsHThenJsetK)
                        goto JsetKInNextSlot;
                    if (insn.Op == BpfDecodedOp.LdAbsWThenAndKThenJeqK)
                        goto AndKInNextSlot;
                    break;
                JeqKInNextSlot:
                {
                    ref BpfDecodedInstruction jump = ref Unsafe.Add(ref code, pc++);
                    pc += a == jump.K ? jump.JumpTrue : jump.JumpFalse;
                    break;
                }

                case BpfDecodedOp.LdImm:
                    a = k;
                    break;
                case BpfDecodedOp.LdxImm:
                    x = k;
                    break;
                case BpfDecodedOp.LdLen:
                    a = WireLength(packet, context);
                    break;
                case BpfDecodedOp.LdxLen:
                    x = WireLength(packet, context);
                    break;
                case BpfDecodedOp.LdMem:
                    a = Unsafe.Add(ref memory, (nint)k);
                    break;
                case BpfDecodedOp.LdxMem:
                    x = Unsafe.Add(ref memory, (nint)k);
                    break;
                case BpfDecodedOp.St:
                    Unsafe.Add(ref memory, (nint)k) = a;
                    break;
                case BpfDecodedOp.Stx:
                    Unsafe.Add(ref memory, (nint)k) = x;
                    break;

                case BpfDecodedOp.Ja:
                {
                    int offset = (int)k;
                    // Only the libpcap dialect lets a backward jump through the validator.
                    if (offset < 0 && (offset == -1 || backwardJumps++ >= MaxBackwardJumps))
                        return 0;
                    pc += offset;
                    break;
                }
                case BpfDecodedOp.JeqK:
                    pc += a == k ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfDecodedOp.JgtK:
                    pc += a > k ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfDecodedOp.JgeK:
                    pc += a >= k ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfDecodedOp.JsetK:
                    pc += (a & k) != 0 ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfDecodedOp.JeqX:
                    pc += a == x ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfDecodedOp.JgtX:
                    pc += a > x ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfDecodedOp.JgeX:
                    pc += a >= x ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfDecodedOp.JsetX:
                    pc += (a & x) != 0 ? insn.JumpTrue : insn.JumpFalse;
                    break;

                case BpfDecodedOp.AddK:
                    a += k;
                    break;
                case BpfDecodedOp.SubK:
                    a -= k;
                    break;
                case BpfDecodedOp.MulK:
                    a *= k;
                    break;
                case BpfDecodedOp.DivK:
                    a /= k;
                    break;
                case BpfDecodedOp.ModK:
                    a %= k;
                    break;
                case BpfDecodedOp.AndK:
                    a &= k;
                    break;
                case BpfDecodedOp.OrK:
                    a |= k;
                    break;
                case BpfDecodedOp.XorK:
                    a ^= k;
                    break;
                case BpfDecodedOp.LshK:
                    a <<= (int)k; // C# masks the count with 31: the kernel rejects k >= 32, x86 masks it
                    break;
                case BpfDecodedOp.RshK:
                    a >>= (int)k;
                    break;
                case BpfDecodedOp.Neg:
                    a = 0u - a;
                    break;
                case BpfDecodedOp.AddX:
                    a += x;
                    break;
                case BpfDecodedOp.SubX:
                    a -= x;
                    break;
                case BpfDecodedOp.MulX:
                    a *= x;
                    break;
                case BpfDecodedOp.DivX:
                    if (x == 0)
                        return 0;
                    a /= x;
                    break;
                case BpfDecodedOp.ModX:
                    if (x == 0)
                        return 0;
                    a %= x;
                    break;
                case BpfDecodedOp.AndX:
                    a &= x;
                    break;
                case BpfDecodedOp.OrX:
                    a |= x;
                    break;
                case BpfDecodedOp.XorX:
                    a ^= x;
                    break;
                case BpfDecodedOp.LshX:
                    a = kernel || x < 32 ? a << (int)x : 0;
                    break;
                case BpfDecodedOp.RshX:
                    a = kernel || x < 32 ? a >> (int)x : 0;
                    break;

                case BpfDecodedOp.Tax:
                    x = a;
                    break;
                case BpfDecodedOp.Txa:
                    a = x;
                    break;

                default:
                    return 0;
            }
        }

    ContinueOnGeneralPath:
        return Execute<TDialect, GeneralPath>(program, packet, context, pc - 1, a, x, backwardJumps, ref scratch);
    }

    /// <summary>The 16 scratch memory words, on the stack.</summary>
    [InlineArray(16)]
    private struct Scratch
    {
        private uint _word;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint WireLength(in BpfPacketView packet, in BpfContext context) =>
        context.WireLength != 0 ? context.WireLength : (uint)packet.DataLength;

    /// <summary><c>x + k</c> as a load offset: wrapped to 32 bits in the kernel dialect, unwrapped in libpcap's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong IndirectOffset(bool kernel, uint x, uint k) => kernel ? x + k : (ulong)x + k;

    /// <summary>The load of a load op (fused ones included) the first segment could not serve; -1 when it fails.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LoadSlow(BpfDecodedOp op, bool kernel, in BpfPacketView packet, in BpfContext context, uint k, uint a, uint x) => op switch
    {
        BpfDecodedOp.LdAbsW or BpfDecodedOp.LdAbsWThenJeqK or BpfDecodedOp.LdAbsWThenAndKThenJeqK =>
            LoadAbsoluteSlow(kernel, packet, context, k, 4, a, x),
        BpfDecodedOp.LdAbsH or BpfDecodedOp.LdAbsHThenJeqK or BpfDecodedOp.LdAbsHThenJsetK =>
            LoadAbsoluteSlow(kernel, packet, context, k, 2, a, x),
        BpfDecodedOp.LdAbsB or BpfDecodedOp.LdAbsBThenJeqK => LoadAbsoluteSlow(kernel, packet, context, k, 1, a, x),
        BpfDecodedOp.LdIndW => LoadSlow(kernel, packet, context, IndirectOffset(kernel, x, k), 4),
        BpfDecodedOp.LdIndH or BpfDecodedOp.LdIndHThenJeqK => LoadSlow(kernel, packet, context, IndirectOffset(kernel, x, k), 2),
        BpfDecodedOp.LdIndB => LoadSlow(kernel, packet, context, IndirectOffset(kernel, x, k), 1),
        BpfDecodedOp.LdxMsh => LoadSlow(kernel, packet, context, k, 1), // a plain byte: never ancillary
        _ => throw new UnreachableException($"{op} does not load"),
    };

    /// <summary><c>ld [k]</c> outside the first segment: ancillary, header-relative or a later segment. -1 when it fails.</summary>
    private static long LoadAbsoluteSlow(bool kernel, in BpfPacketView packet, in BpfContext context, uint k, int size, uint a, uint x)
    {
        uint value;
        if (kernel)
        {
            if (k >= BpfAncillary.Base)
                return BpfRuntime.KernelAncillary(k, packet, context, a, x);
            return BpfRuntime.TryLoadKernel(packet, context, (int)k, size, out value) ? value : -1;
        }
        if (size == 1 && BpfRuntime.TryLibpcapVlanAncillary(k, context, out value))
            return value;
        return BpfRuntime.TryLoadLibpcap(packet, k, size, out value) ? value : -1;
    }

    /// <summary>
    /// A load outside the first segment, -1 when it fails. In the kernel dialect <paramref name="offset"/>
    /// is the 32-bit offset (read as signed); in the libpcap dialect the unwrapped sum.
    /// </summary>
    private static long LoadSlow(bool kernel, in BpfPacketView packet, in BpfContext context, ulong offset, int size)
    {
        bool loaded = kernel
            ? BpfRuntime.TryLoadKernel(packet, context, (int)(uint)offset, size, out uint value)
            : BpfRuntime.TryLoadLibpcap(packet, offset, size, out value);
        return loaded ? value : -1;
    }
}
