using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Translation;
using static Wirecap.Ebpf.EbpfRegister;
using L = Wirecap.Linux.Probes.ProbeEventLayout;

namespace Wirecap.Linux.Probes;

/// <summary>What one probe program needs: how to read, where the skb is, what to keep.</summary>
internal sealed record ProbeProgramRequest
{
    /// <summary>BTF-typed context (tp_btf, fentry): fields are plain loads the verifier checks against BTF.
    /// Otherwise (raw tracepoint, kprobe) every kernel read goes through <c>bpf_probe_read_kernel</c>.</summary>
    public required bool Typed { get; init; }
    /// <summary>The context offset of the <c>struct sk_buff *</c> (<see cref="ProbeTarget.SkbOffset"/>).</summary>
    public required short SkbOffset { get; init; }
    /// <summary>The context offset of the <c>enum skb_drop_reason</c>, or -1.</summary>
    public short ReasonOffset { get; init; } = -1;
    public required uint ProbeId { get; init; }
    public required SkbLayout Layout { get; init; }
    public required EbpfMap Ring { get; init; }
    /// <summary>Per-CPU array of <see cref="ProbeProgramBuilder.CounterCount"/> u64 counters: records lost to a full ring,
    /// skbs without readable packet bytes, packets the filter rejected.</summary>
    public required EbpfMap Counters { get; init; }
    /// <summary>Keep only skbs whose device is in this network namespace (inode number); 0 keeps all.</summary>
    public uint NetnsInode { get; init; }
    public required int SnapLength { get; init; }
    /// <summary>The classic filter run over the copied bytes (an Ethernet frame), or null to keep every packet.</summary>
    public BpfProgram? Filter { get; init; }
}

/// <summary>
/// Generates a probe program, the same for every kind of probe (only where the context holds the skb, and whether
/// reads are typed, differ): read the skb's fields at the offsets BTF gave, skip skbs outside the
/// wanted network namespace, reserve a ring-buffer record, copy up to the snap length from the MAC
/// header (or from the network header behind a made-up Ethernet header when there is no MAC header,
/// as Retis does), run the filter over the copy (<see cref="CbpfTranslator.EmitCopied"/>: a rejected
/// record is discarded and counted, a kept one cut to the filter's snap length) and submit it. Every read
/// lands in a stack slot first, so the typed and the probe-read forms share one program shape.
/// </summary>
internal static class ProbeProgramBuilder
{
    public const int CounterRingFull = 0;
    public const int CounterNoPacket = 1;
    public const int CounterFiltered = 2;
    public const int CounterCount = 3;

    /// <summary>The filter's scratch memory M[0..15]: below the program's own stack slots.</summary>
    private const short FilterScratch = -208;

    // Stack slots, 8 bytes each, below the frame pointer.
    private const short SlotDevice = -8, SlotNet = -16, SlotIfindex = -24, SlotInum = -32, SlotHead = -40, SlotData = -48,
        SlotLen = -56, SlotDataLen = -64, SlotMac = -72, SlotNetwork = -80, SlotMacLen = -88, SlotProtocol = -96,
        SlotMark = -104, SlotTimestamp = -112, SlotStart = -120, SlotFake = -128, SlotKey = -136;
    // FilterScratch + 64 (-144) stays below the lowest slot.

    public static EbpfCode Build(ProbeProgramRequest r)
    {
        var a = new EbpfAssembler();
        var exit = a.DefineLabel();
        var noPacket = a.DefineLabel();
        var ringFull = a.DefineLabel();
        var count = a.DefineLabel();
        var noDevice = a.DefineLabel();
        var l3 = a.DefineLabel();
        var haveStart = a.DefineLabel();
        var fake = a.DefineLabel();
        var discard = a.DefineLabel();
        var submit = a.DefineLabel();
        var f = r.Layout;

        // The context is u64 args[] for raw and BTF tracepoints and for fentry, struct pt_regs for a kprobe: either way an
        // argument is 8 bytes the context holds at an offset the target gave.
        a.Load(EbpfSize.Double, R6, R1, r.SkbOffset);
        if (r.ReasonOffset >= 0) a.Load(EbpfSize.Double, R8, R1, r.ReasonOffset);
        else a.Mov64(R8, 0);
        a.Jump(EbpfJumpOp.Equal, R6, 0, exit);

        // dev, dev->ifindex, dev->nd_net.net->ns.inum (0 when there is no device).
        a.StoreImmediate(EbpfSize.Double, R10, SlotIfindex, 0);
        a.StoreImmediate(EbpfSize.Double, R10, SlotInum, 0);
        Read(a, r.Typed, R6, f.Device, SlotDevice);
        a.Load(EbpfSize.Double, R7, R10, SlotDevice);
        a.Jump(EbpfJumpOp.Equal, R7, 0, noDevice);
        Read(a, r.Typed, R7, f.DeviceIfindex, SlotIfindex);
        Read(a, r.Typed, R7, f.DeviceNet, SlotNet);
        a.Load(EbpfSize.Double, R7, R10, SlotNet);
        a.Jump(EbpfJumpOp.Equal, R7, 0, noDevice);
        Read(a, r.Typed, R7, f.NetInum, SlotInum);
        a.Mark(noDevice);
        if (r.NetnsInode != 0)
        {
            // Tracepoints fire for every namespace: leave before costing ring space.
            a.Load(EbpfSize.Word, R1, R10, SlotInum);
            a.Jump32(EbpfJumpOp.NotEqual, R1, unchecked((int)r.NetnsInode), exit);
        }

        foreach (var (field, slot) in new[] {
            (f.Head, SlotHead), (f.Data, SlotData), (f.Len, SlotLen), (f.DataLen, SlotDataLen), (f.MacHeader, SlotMac),
            (f.NetworkHeader, SlotNetwork), (f.MacLen, SlotMacLen), (f.Protocol, SlotProtocol), (f.Mark, SlotMark), (f.Timestamp, SlotTimestamp) })
            Read(a, r.Typed, R6, field, slot);

        // Start at the MAC header when it is set (not ~0, and not a reset one equal to the network header with mac_len 0).
        a.Load(EbpfSize.Double, R1, R10, SlotMac);
        a.Load(EbpfSize.Double, R2, R10, SlotNetwork);
        a.Load(EbpfSize.Double, R3, R10, SlotMacLen);
        a.Jump(EbpfJumpOp.Equal, R1, 0xffff, l3);
        var macValid = a.DefineLabel();
        a.Jump(EbpfJumpOp.NotEqual, R1, R2, macValid);
        a.Jump(EbpfJumpOp.Equal, R3, 0, l3);
        a.Mark(macValid);
        a.Store(EbpfSize.Double, R10, SlotStart, R1);
        a.StoreImmediate(EbpfSize.Double, R10, SlotFake, 0);
        a.Jump(haveStart);
        a.Mark(l3);
        a.Jump(EbpfJumpOp.Equal, R2, 0xffff, noPacket);
        a.Jump(EbpfJumpOp.Equal, R2, 0, noPacket);
        a.Store(EbpfSize.Double, R10, SlotStart, R2);
        a.StoreImmediate(EbpfSize.Double, R10, SlotFake, 1);
        a.Mark(haveStart);

        int recordSize = L.RecordSize(r.SnapLength);
        a.LoadMap(R1, r.Ring);
        a.Mov64(R2, recordSize);
        a.Mov64(R3, 0);
        a.Call(EbpfHelper.RingbufReserve);
        a.Jump(EbpfJumpOp.Equal, R0, 0, ringFull);
        a.Mov64(R9, R0);

        a.Store(EbpfSize.Double, R9, L.SkbAddress, R6);
        a.Call(EbpfHelper.KtimeGetNs);
        a.Store(EbpfSize.Double, R9, L.KernelTime, R0);
        CopySlot(a, SlotTimestamp, EbpfSize.Double, L.SkbTimestamp);
        CopySlot(a, SlotHead, EbpfSize.Double, L.HeadAddress);
        a.StoreImmediate(EbpfSize.Word, R9, L.ProbeId, unchecked((int)r.ProbeId));
        CopySlot(a, SlotInum, EbpfSize.Word, L.NetnsInode);
        CopySlot(a, SlotIfindex, EbpfSize.Word, L.Ifindex);
        CopySlot(a, SlotMark, EbpfSize.Word, L.Mark);
        a.Store(EbpfSize.Word, R9, L.DropReason, R8);
        CopySlot(a, SlotProtocol, EbpfSize.Half, L.Protocol);

        // avail = (len - data_len) + (data - head) - start: linear bytes from the first header on.
        // wire = len + (data - head) - start: skb->len counts from data, which on receive is past the MAC header.
        a.Load(EbpfSize.Double, R1, R10, SlotLen);
        a.Load(EbpfSize.Double, R2, R10, SlotDataLen);
        a.Alu64(EbpfAluOp.Sub, R1, R2);
        a.Load(EbpfSize.Double, R2, R10, SlotData);
        a.Load(EbpfSize.Double, R3, R10, SlotHead);
        a.Alu64(EbpfAluOp.Sub, R2, R3);
        a.Load(EbpfSize.Double, R4, R10, SlotStart);
        a.Alu64(EbpfAluOp.Add, R1, R2);
        a.Alu64(EbpfAluOp.Sub, R1, R4);
        a.Load(EbpfSize.Double, R3, R10, SlotLen);
        a.Alu64(EbpfAluOp.Add, R3, R2);
        a.Alu64(EbpfAluOp.Sub, R3, R4);
        a.Load(EbpfSize.Double, R5, R10, SlotFake);
        a.Jump(EbpfJumpOp.NotEqual, R5, 0, fake);
        Copy(a, L.Packet, r.SnapLength, 0, discard, submit);

        a.Mark(fake);
        // Zero MACs and the skb's protocol, so the link type stays Ethernet.
        a.StoreImmediate(EbpfSize.Double, R9, L.Packet, 0);
        a.StoreImmediate(EbpfSize.Word, R9, L.Packet + 8, 0);
        a.Load(EbpfSize.Double, R5, R10, SlotProtocol);
        a.Store(EbpfSize.Half, R9, L.Packet + 12, R5);
        Copy(a, L.Packet + L.FakeEthernetLength, r.SnapLength - L.FakeEthernetLength, L.FakeEthernetLength, discard, submit);

        a.Mark(submit);
        if (r.Filter is { } filter)
        {
            // Over the copy: R6 = its first byte, R7 = bytes copied, R8 = wire length (the skb and the reason are stored).
            var keep = a.DefineLabel();
            var whole = a.DefineLabel();
            a.Mov64(R6, R9);
            a.Alu64(EbpfAluOp.Add, R6, L.Packet);
            a.Load(EbpfSize.Word, R7, R9, L.CaptureLength);
            a.Load(EbpfSize.Word, R8, R9, L.WireLength);
            CbpfTranslator.EmitCopied(a, filter, new CbpfCopiedPacket(R6, R7, R8, r.SnapLength), FilterScratch);
            a.Jump(EbpfJumpOp.NotEqual, R0, 0, keep);
            RingSubmit.EmitDiscard(a, r.Ring, R9);
            a.StoreImmediate(EbpfSize.Word, R10, SlotKey, CounterFiltered);
            a.Jump(count);
            a.Mark(keep);
            // The filter's result is the bytes to keep (its snap length), as on a packet socket.
            a.Jump(EbpfJumpOp.GreaterOrEqual, R0, R7, whole);
            a.Store(EbpfSize.Word, R9, L.CaptureLength, R0);
            a.Mark(whole);
        }
        RingSubmit.Emit(a, r.Ring, R9);
        a.Jump(exit);

        a.Mark(discard);
        RingSubmit.EmitDiscard(a, r.Ring, R9);
        a.Mark(noPacket);
        a.StoreImmediate(EbpfSize.Word, R10, SlotKey, CounterNoPacket);
        a.Jump(count);
        a.Mark(ringFull);
        a.StoreImmediate(EbpfSize.Word, R10, SlotKey, CounterRingFull);
        a.Mark(count);
        a.LoadMap(R1, r.Counters);
        a.Mov64(R2, R10);
        a.Alu64(EbpfAluOp.Add, R2, SlotKey);
        a.Call(EbpfHelper.MapLookupElement);
        a.Jump(EbpfJumpOp.Equal, R0, 0, exit);
        a.Load(EbpfSize.Double, R1, R0, 0);
        a.Alu64(EbpfAluOp.Add, R1, 1);
        a.Store(EbpfSize.Double, R0, 0, R1);

        a.Mark(exit);
        a.Mov64(R0, 0);
        a.Exit();
        return a.Build();
    }

    /// <summary>
    /// Copies min(avail (R1), max) bytes from head + start into the record at <paramref name="destination"/>;
    /// R3 holds the wire length. The bound checks let the verifier prove the size lies in [1, max].
    /// </summary>
    private static void Copy(EbpfAssembler a, short destination, int max, int extra, EbpfLabel discard, EbpfLabel submit)
    {
        var bounded = a.DefineLabel();
        a.Jump(EbpfJumpOp.SignedLessOrEqual, R1, 0, discard);
        a.Jump(EbpfJumpOp.LessOrEqual, R1, max, bounded);
        a.Mov64(R1, max);
        a.Mark(bounded);
        a.Alu64(EbpfAluOp.Add, R3, extra);
        a.Store(EbpfSize.Word, R9, L.WireLength, R3);
        a.Mov64(R2, R1);
        a.Alu64(EbpfAluOp.Add, R2, extra);
        a.Store(EbpfSize.Word, R9, L.CaptureLength, R2);
        a.StoreImmediate(EbpfSize.Half, R9, L.Flags, extra > 0 ? L.FlagFakeEthernet : 0);
        a.Mov64(R2, R1);
        a.Mov64(R1, R9);
        a.Alu64(EbpfAluOp.Add, R1, destination);
        a.Load(EbpfSize.Double, R3, R10, SlotHead);
        a.Load(EbpfSize.Double, R4, R10, SlotStart);
        a.Alu64(EbpfAluOp.Add, R3, R4);
        a.Call(EbpfHelper.ProbeReadKernel);
        a.Jump(EbpfJumpOp.SignedLess, R0, 0, discard);
        a.Jump(submit);
    }

    /// <summary>Reads a kernel field at <paramref name="pointer"/> + offset into an 8-byte stack slot, zero-extended.</summary>
    private static void Read(EbpfAssembler a, bool typed, EbpfRegister pointer, KernelField field, short slot)
    {
        if (typed)
        {
            a.Load(SizeOf(field), R1, pointer, field.Offset);
            a.Store(EbpfSize.Double, R10, slot, R1);
            return;
        }
        a.StoreImmediate(EbpfSize.Double, R10, slot, 0);
        a.Mov64(R3, pointer);
        a.Alu64(EbpfAluOp.Add, R3, field.Offset);
        a.Mov64(R1, R10);
        a.Alu64(EbpfAluOp.Add, R1, slot);
        a.Mov64(R2, field.Size);
        a.Call(EbpfHelper.ProbeReadKernel);
    }

    private static void CopySlot(EbpfAssembler a, short slot, EbpfSize size, short recordOffset)
    {
        a.Load(EbpfSize.Double, R1, R10, slot);
        a.Store(size, R9, recordOffset, R1);
    }

    private static EbpfSize SizeOf(KernelField field) => field.Size switch
    {
        1 => EbpfSize.Byte,
        2 => EbpfSize.Half,
        4 => EbpfSize.Word,
        _ => EbpfSize.Double,
    };
}
