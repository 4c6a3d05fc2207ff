using Wirecap.Bpf;
using static Wirecap.Ebpf.Translation.CbpfRegisters;

namespace Wirecap.Ebpf.Translation;

/// <summary>
/// Direct packet access for <c>SCHED_CLS</c> (TC, tcx) programs: the bytes between <c>skb-&gt;data</c> and
/// <c>skb-&gt;data_end</c> of the <c>__sk_buff</c> context, which at TC start at the mac header on ingress and egress.
/// Guards compare <c>data + n</c> with <c>data_end</c>, which is what lets the verifier accept the loads. Only the
/// linear part of the packet is reachable: a caller that wants loads into paged data must call
/// <c>bpf_skb_pull_data</c> before the fragment. The ancillary loads read the <c>__sk_buff</c> fields the kernel's own
/// classic-to-eBPF conversion reads, except the packet type at egress (<paramref name="egress"/>): there
/// <c>skb-&gt;pkt_type</c> still says <c>PACKET_HOST</c>, while a packet socket sees every packet leaving as
/// <c>PACKET_OUTGOING</c>, which is what <c>outbound</c> tests; the load is that constant.
/// </summary>
internal sealed class DirectPacketBackend(EbpfRegister context, bool egress = false) : CbpfPacketBackend
{
    /// <summary>The verifier's <c>MAX_PACKET_OFF</c>: no packet pointer may point further.</summary>
    private const int MaxPacketOffset = 0xffff;

    public override int Limit => MaxPacketOffset;

    public override string HookName => "the TC hook (SCHED_CLS)";

    public override void EmitPrologue(EbpfAssembler asm)
    {
        asm.Load(EbpfSize.Word, Data, context, SkBuffField.Data);
        asm.Load(EbpfSize.Word, DataEnd, context, SkBuffField.DataEnd);
    }

    public override void EmitGuard(EbpfAssembler asm, int length, EbpfLabel reject) =>
        asm.Mov64(Temp, Data).Alu64(EbpfAluOp.Add, Temp, length).Jump(EbpfJumpOp.Greater, Temp, DataEnd, reject);

    public override void EmitLoad(EbpfAssembler asm, EbpfSize size, EbpfRegister destination, int offset) =>
        LoadAt(asm, size, destination, Data, offset);

    public override void EmitIndirectLoad(EbpfAssembler asm, EbpfSize size, EbpfRegister destination, EbpfLabel reject)
    {
        int bytes = Bytes(size);
        // The bound makes the offset a scalar the verifier may add to a packet pointer; the second guard then proves
        // the bytes there lie before data_end.
        asm.Jump(EbpfJumpOp.Greater, Temp, MaxPacketOffset - bytes, reject)
           .Alu64(EbpfAluOp.Add, Temp, Data)
           .Mov64(Result, Temp)
           .Alu64(EbpfAluOp.Add, Result, bytes)
           .Jump(EbpfJumpOp.Greater, Result, DataEnd, reject)
           .Load(size, destination, Temp, 0);
    }

    public override void EmitLength(EbpfAssembler asm, EbpfRegister destination) =>
        asm.Load(EbpfSize.Word, destination, context, SkBuffField.Length);

    public override void EmitAncillary(EbpfAssembler asm, int number, EbpfRegister destination, int programCounter)
    {
        if (egress && number == BpfAncillary.PacketType)
        {
            asm.Mov32(destination, (int)LinuxPacketType.Outgoing);
            return;
        }
        (short field, bool networkOrder) = number switch
        {
            BpfAncillary.Protocol => (SkBuffField.Protocol, true),
            BpfAncillary.PacketType => (SkBuffField.PacketType, false),
            BpfAncillary.InterfaceIndex => (SkBuffField.Ifindex, false),
            BpfAncillary.Mark => (SkBuffField.Mark, false),
            BpfAncillary.Queue => (SkBuffField.QueueMapping, false),
            BpfAncillary.ReceiveHash => (SkBuffField.Hash, false),
            BpfAncillary.VlanTag => (SkBuffField.VlanTci, false),
            BpfAncillary.VlanTagPresent => (SkBuffField.VlanPresent, false),
            BpfAncillary.VlanTpid => (SkBuffField.VlanProto, true),
            _ => throw CbpfRefusals.Ancillary(number, programCounter, HookName,
                "struct __sk_buff has no such field; filter on packet bytes instead"),
        };
        asm.Load(EbpfSize.Word, destination, context, field);
        // protocol and vlan_proto hold a __be16: the classic load returns it as a number.
        if (networkOrder) asm.ToBigEndian(destination, 16);
    }
}
