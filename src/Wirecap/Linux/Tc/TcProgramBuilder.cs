using Wirecap.Ebpf;
using static Wirecap.Ebpf.EbpfRegister;
using L = Wirecap.Linux.Tc.TcRecordLayout;

namespace Wirecap.Linux.Tc;

/// <summary>What one TC capture program needs.</summary>
internal sealed record TcProgramRequest
{
    public required EbpfMap Ring { get; init; }
    /// <summary>Per-CPU array of <see cref="TcRecordLayout.CounterCount"/> u64 counters.</summary>
    public required EbpfMap Counters { get; init; }
    public required int SnapLength { get; init; }
    /// <summary><see cref="TcRecordLayout.DirectionIngress"/> or <see cref="TcRecordLayout.DirectionEgress"/>.</summary>
    public required byte Direction { get; init; }
    public required TcSnapLength Keep { get; init; }
}

/// <summary>
/// Generates the SCHED_CLS program of a TC capture: decide how many bytes to keep (<see cref="TcSnapLength"/>), cap
/// that at the packet's length and the snap length, reserve a ring-buffer record, fill it with the packet's
/// metadata and bytes (<c>bpf_skb_load_bytes</c>, which also reads paged data) and submit it. Whatever happens the
/// program returns -1 (<c>TCX_NEXT</c> / <c>TC_ACT_UNSPEC</c>): the packet goes on unchanged.
/// </summary>
/// <remarks>
/// <c>bpf_ringbuf_reserve</c> takes a constant size, so the program picks the smallest of a few size classes (powers
/// of two from 128 bytes up to the snap length) that holds the packet: a record wastes at most half its space, and a
/// large snap length does not make every small packet take a large record. The verifier follows each class as its
/// own path, knowing the copy length's bounds there.
/// </remarks>
internal static class TcProgramBuilder
{
    /// <summary>The value every path returns: TCX_NEXT for tcx, TC_ACT_UNSPEC for cls_bpf (run the next program, or
    /// the default action).</summary>
    public const int PassOn = -1;

    private const int SmallestClass = 128;
    private const short SlotKey = -8;

    public static EbpfCode Build(TcProgramRequest r)
    {
        var a = new EbpfAssembler();
        var decided = a.DefineLabel();
        var pass = a.DefineLabel();
        var reserved = a.DefineLabel();
        var ringFull = a.DefineLabel();
        var copyFailed = a.DefineLabel();
        var count = a.DefineLabel();

        a.Mov64(TcSnapLength.Context, R1);
        r.Keep.Emit(a, decided);
        a.Mark(decided);

        // R8 = min(keep, skb->len, snap length); nothing to do for 0.
        a.Mov32(R8, TcSnapLength.Result);
        a.Load(EbpfSize.Word, R1, R6, SkBuffField.Length);
        var belowLength = a.DefineLabel();
        a.Jump(EbpfJumpOp.LessOrEqual, R8, R1, belowLength);
        a.Mov64(R8, R1);
        a.Mark(belowLength);
        var belowSnap = a.DefineLabel();
        a.Jump(EbpfJumpOp.LessOrEqual, R8, r.SnapLength, belowSnap);
        a.Mov64(R8, r.SnapLength);
        a.Mark(belowSnap);
        a.Jump(EbpfJumpOp.Equal, R8, 0, pass);

        // One constant-size reservation per size class; R0 = the record or null.
        var classes = SizeClasses(r.SnapLength);
        var labels = classes.Select(_ => a.DefineLabel()).ToArray();
        for (int i = 0; i < classes.Count - 1; i++) a.Jump(EbpfJumpOp.LessOrEqual, R8, classes[i], labels[i]);
        a.Jump(labels[^1]);
        for (int i = 0; i < classes.Count; i++)
        {
            a.Mark(labels[i]);
            a.LoadMap(R1, r.Ring);
            a.Mov64(R2, L.Packet + classes[i]);
            a.Mov64(R3, 0);
            a.Call(EbpfHelper.RingbufReserve);
            if (i < classes.Count - 1) a.Jump(reserved);
        }
        a.Mark(reserved);
        a.Jump(EbpfJumpOp.Equal, R0, 0, ringFull);
        a.Mov64(R9, R0);

        a.Store(EbpfSize.Word, R9, L.CaptureLength, R8);
        CopyField(a, SkBuffField.Length, EbpfSize.Word, L.WireLength);
        CopyField(a, SkBuffField.Ifindex, EbpfSize.Word, L.Ifindex);
        CopyField(a, SkBuffField.Mark, EbpfSize.Word, L.Mark);
        CopyField(a, SkBuffField.Hash, EbpfSize.Word, L.Hash);
        CopyField(a, SkBuffField.Protocol, EbpfSize.Half, L.Protocol);
        CopyField(a, SkBuffField.VlanTci, EbpfSize.Half, L.VlanTci);
        CopyField(a, SkBuffField.VlanProto, EbpfSize.Half, L.VlanProto);
        CopyField(a, SkBuffField.VlanPresent, EbpfSize.Byte, L.VlanPresent);
        CopyField(a, SkBuffField.PacketType, EbpfSize.Byte, L.PacketType);
        a.StoreImmediate(EbpfSize.Byte, R9, L.Direction, r.Direction);
        a.Call(EbpfHelper.KtimeGetNs);
        a.Store(EbpfSize.Double, R9, L.KernelTime, R0);

        // bpf_skb_load_bytes(skb, 0, record + Packet, R8): R8 lies in [1, class] on each reservation's path.
        a.Mov64(R1, R6);
        a.Mov64(R2, 0);
        a.Mov64(R3, R9);
        a.Alu64(EbpfAluOp.Add, R3, L.Packet);
        a.Mov64(R4, R8);
        a.Call(EbpfHelper.SkbLoadBytes);
        a.Jump(EbpfJumpOp.SignedLess, R0, 0, copyFailed);
        RingSubmit.Emit(a, r.Ring, R9);
        a.Jump(pass);

        a.Mark(copyFailed);
        RingSubmit.EmitDiscard(a, R9);
        a.StoreImmediate(EbpfSize.Word, R10, SlotKey, L.CounterCopyFailed);
        a.Jump(count);
        a.Mark(ringFull);
        a.StoreImmediate(EbpfSize.Word, R10, SlotKey, L.CounterRingFull);
        a.Mark(count);
        a.LoadMap(R1, r.Counters);
        a.Mov64(R2, R10);
        a.Alu64(EbpfAluOp.Add, R2, SlotKey);
        a.Call(EbpfHelper.MapLookupElement);
        a.Jump(EbpfJumpOp.Equal, R0, 0, pass);
        a.Load(EbpfSize.Double, R1, R0, 0);
        a.Alu64(EbpfAluOp.Add, R1, 1);
        a.Store(EbpfSize.Double, R0, 0, R1);

        a.Mark(pass);
        a.Mov64(R0, PassOn);
        a.Exit();
        return a.Build();
    }

    /// <summary>The record sizes (packet bytes) reserved: powers of two from <see cref="SmallestClass"/>, the last
    /// one the snap length itself.</summary>
    internal static IReadOnlyList<int> SizeClasses(int snapLength)
    {
        var classes = new List<int>();
        for (int size = SmallestClass; size < snapLength; size *= 2) classes.Add(size);
        classes.Add((snapLength + 7) & ~7);
        return classes;
    }

    private static void CopyField(EbpfAssembler a, short field, EbpfSize size, short recordOffset)
    {
        a.Load(EbpfSize.Word, R1, R6, field);
        a.Store(size, R9, recordOffset, R1);
    }
}
