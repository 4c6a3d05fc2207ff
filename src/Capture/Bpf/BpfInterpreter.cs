using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Capture.Bpf;

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
    public static uint Run(BpfProgram program, ReadOnlySpan<byte> packet, in BpfContext context)
    {
        ArgumentNullException.ThrowIfNull(program);
        var view = new BpfPacketView(packet, context.DataOffset);
        return Execute(program.Instructions, program.Dialect == BpfDialect.Kernel, view, context);
    }

    /// <summary>Runs <paramref name="program"/> over a contiguous packet with a default context.</summary>
    public static uint Run(BpfProgram program, ReadOnlySpan<byte> packet) => Run(program, packet, default(BpfContext));

    /// <summary>
    /// Runs <paramref name="program"/> over a packet held in several segments, without copying it;
    /// loads that straddle segments work.
    /// </summary>
    public static uint Run(BpfProgram program, in ReadOnlySequence<byte> packet, in BpfContext context)
    {
        ArgumentNullException.ThrowIfNull(program);
        var view = new BpfPacketView(packet, context.DataOffset);
        return Execute(program.Instructions, program.Dialect == BpfDialect.Kernel, view, context);
    }

    [SkipLocalsInit]
    private static uint Execute(ReadOnlySpan<BpfInstruction> program, bool kernel, in BpfPacketView packet, in BpfContext context)
    {
        ref BpfInstruction code = ref MemoryMarshal.GetReference(program);
        // Bytes from offset 0 that sit in the first segment: loads wholly inside need no further checks.
        int firstData = packet.First.Length - packet.DataOffset;
        ulong fast = firstData > 0 ? (ulong)firstData : 0;
        ref byte data = ref firstData > 0
            ? ref Unsafe.Add(ref MemoryMarshal.GetReference(packet.First), packet.DataOffset)
            : ref MemoryMarshal.GetReference(packet.First);
        Span<uint> scratch = stackalloc uint[16];
        // The kernel checker proves no slot is read before it is written; libpcap's does not, so
        // start from zeros there (as newer libpcap does) to stay deterministic.
        if (!kernel)
            scratch.Clear();
        ref uint memory = ref MemoryMarshal.GetReference(scratch);

        uint a = 0, x = 0;
        long loaded; // a slow load's value, or -1 when it failed (keeps a and x out of memory)
        int backwardJumps = 0;
        nint pc = 0;
        while (true)
        {
            ref BpfInstruction insn = ref Unsafe.Add(ref code, pc++);
            uint k = insn.K;
            switch (insn.Code)
            {
                case BpfOpcode.RetK:
                    return k;
                case BpfOpcode.RetAcc:
                    return a;

                case BpfOpcode.LdAbsW:
                    if ((ulong)k + 4 <= fast)
                        a = BpfBytes.ReadUInt32(ref data, (nint)k);
                    else if ((loaded = LoadAbsoluteSlow(kernel, packet, context, k, 4, a, x)) >= 0)
                        a = (uint)loaded;
                    else
                        return 0;
                    break;
                case BpfOpcode.LdAbsH:
                    if ((ulong)k + 2 <= fast)
                        a = BpfBytes.ReadUInt16(ref data, (nint)k);
                    else if ((loaded = LoadAbsoluteSlow(kernel, packet, context, k, 2, a, x)) >= 0)
                        a = (uint)loaded;
                    else
                        return 0;
                    break;
                case BpfOpcode.LdAbsB:
                    if (k < fast)
                        a = Unsafe.Add(ref data, (nint)k);
                    else if ((loaded = LoadAbsoluteSlow(kernel, packet, context, k, 1, a, x)) >= 0)
                        a = (uint)loaded;
                    else
                        return 0;
                    break;

                case BpfOpcode.LdIndW:
                {
                    ulong offset = kernel ? x + k : (ulong)x + k;
                    if (offset + 4 <= fast)
                        a = BpfBytes.ReadUInt32(ref data, (nint)offset);
                    else if ((loaded = LoadSlow(kernel, packet, context, offset, 4)) >= 0)
                        a = (uint)loaded;
                    else
                        return 0;
                    break;
                }
                case BpfOpcode.LdIndH:
                {
                    ulong offset = kernel ? x + k : (ulong)x + k;
                    if (offset + 2 <= fast)
                        a = BpfBytes.ReadUInt16(ref data, (nint)offset);
                    else if ((loaded = LoadSlow(kernel, packet, context, offset, 2)) >= 0)
                        a = (uint)loaded;
                    else
                        return 0;
                    break;
                }
                case BpfOpcode.LdIndB:
                {
                    ulong offset = kernel ? x + k : (ulong)x + k;
                    if (offset < fast)
                        a = Unsafe.Add(ref data, (nint)offset);
                    else if ((loaded = LoadSlow(kernel, packet, context, offset, 1)) >= 0)
                        a = (uint)loaded;
                    else
                        return 0;
                    break;
                }
                case BpfOpcode.LdxMsh:
                {
                    if (k < fast)
                        loaded = Unsafe.Add(ref data, (nint)k);
                    else if ((loaded = LoadSlow(kernel, packet, context, k, 1)) < 0)
                        return 0;
                    x = ((uint)loaded & 0xf) << 2;
                    break;
                }

                case BpfOpcode.LdImm:
                    a = k;
                    break;
                case BpfOpcode.LdxImm:
                    x = k;
                    break;
                case BpfOpcode.LdLen:
                    a = WireLength(packet, context);
                    break;
                case BpfOpcode.LdxLen:
                    x = WireLength(packet, context);
                    break;
                case BpfOpcode.LdMem:
                    a = Unsafe.Add(ref memory, (nint)k);
                    break;
                case BpfOpcode.LdxMem:
                    x = Unsafe.Add(ref memory, (nint)k);
                    break;
                case BpfOpcode.St:
                    Unsafe.Add(ref memory, (nint)k) = a;
                    break;
                case BpfOpcode.Stx:
                    Unsafe.Add(ref memory, (nint)k) = x;
                    break;

                case BpfOpcode.Ja:
                {
                    int offset = (int)k;
                    // Only the libpcap dialect lets a backward jump through the validator.
                    if (offset < 0 && (offset == -1 || backwardJumps++ >= MaxBackwardJumps))
                        return 0;
                    pc += offset;
                    break;
                }
                case BpfOpcode.ClassJmp | BpfOpcode.OpJeq | BpfOpcode.SrcK:
                    pc += a == k ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfOpcode.ClassJmp | BpfOpcode.OpJgt | BpfOpcode.SrcK:
                    pc += a > k ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfOpcode.ClassJmp | BpfOpcode.OpJge | BpfOpcode.SrcK:
                    pc += a >= k ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfOpcode.ClassJmp | BpfOpcode.OpJset | BpfOpcode.SrcK:
                    pc += (a & k) != 0 ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfOpcode.ClassJmp | BpfOpcode.OpJeq | BpfOpcode.SrcX:
                    pc += a == x ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfOpcode.ClassJmp | BpfOpcode.OpJgt | BpfOpcode.SrcX:
                    pc += a > x ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfOpcode.ClassJmp | BpfOpcode.OpJge | BpfOpcode.SrcX:
                    pc += a >= x ? insn.JumpTrue : insn.JumpFalse;
                    break;
                case BpfOpcode.ClassJmp | BpfOpcode.OpJset | BpfOpcode.SrcX:
                    pc += (a & x) != 0 ? insn.JumpTrue : insn.JumpFalse;
                    break;

                case BpfOpcode.ClassAlu | BpfOpcode.OpAdd | BpfOpcode.SrcK:
                    a += k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpSub | BpfOpcode.SrcK:
                    a -= k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpMul | BpfOpcode.SrcK:
                    a *= k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpDiv | BpfOpcode.SrcK:
                    a /= k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpMod | BpfOpcode.SrcK:
                    a %= k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpAnd | BpfOpcode.SrcK:
                    a &= k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpOr | BpfOpcode.SrcK:
                    a |= k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpXor | BpfOpcode.SrcK:
                    a ^= k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpLsh | BpfOpcode.SrcK:
                    a <<= (int)k; // C# masks the count with 31: the kernel rejects k >= 32, x86 masks it
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpRsh | BpfOpcode.SrcK:
                    a >>= (int)k;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpNeg:
                    a = 0u - a;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpAdd | BpfOpcode.SrcX:
                    a += x;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpSub | BpfOpcode.SrcX:
                    a -= x;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpMul | BpfOpcode.SrcX:
                    a *= x;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpDiv | BpfOpcode.SrcX:
                    if (x == 0)
                        return 0;
                    a /= x;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpMod | BpfOpcode.SrcX:
                    if (x == 0)
                        return 0;
                    a %= x;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpAnd | BpfOpcode.SrcX:
                    a &= x;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpOr | BpfOpcode.SrcX:
                    a |= x;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpXor | BpfOpcode.SrcX:
                    a ^= x;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpLsh | BpfOpcode.SrcX:
                    a = kernel || x < 32 ? a << (int)x : 0;
                    break;
                case BpfOpcode.ClassAlu | BpfOpcode.OpRsh | BpfOpcode.SrcX:
                    a = kernel || x < 32 ? a >> (int)x : 0;
                    break;

                case BpfOpcode.Tax:
                    x = a;
                    break;
                case BpfOpcode.Txa:
                    a = x;
                    break;

                default:
                    return 0;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint WireLength(in BpfPacketView packet, in BpfContext context) =>
        context.WireLength != 0 ? context.WireLength : (uint)packet.DataLength;

    /// <summary><c>ld [k]</c> outside the first segment: ancillary, header-relative or a later segment. -1 when it fails.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
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
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LoadSlow(bool kernel, in BpfPacketView packet, in BpfContext context, ulong offset, int size)
    {
        bool loaded = kernel
            ? BpfRuntime.TryLoadKernel(packet, context, (int)(uint)offset, size, out uint value)
            : BpfRuntime.TryLoadLibpcap(packet, offset, size, out value);
        return loaded ? value : -1;
    }
}
