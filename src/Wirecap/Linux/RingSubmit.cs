using Wirecap.Ebpf;
using static Wirecap.Ebpf.EbpfRegister;

namespace Wirecap.Linux;

/// <summary>
/// How the capture programs hand a record to the reader without waking it for every one. By default
/// <c>bpf_ringbuf_submit</c> wakes a reader that has caught up, which at a steady rate is every record: an irq_work
/// (a self-IPI, dear in a VM) in the kernel and a poll return in the reader, each costing microseconds — measured at
/// about 3 µs per packet on each side (bench/README, TC capture). So a record is submitted with
/// <c>BPF_RB_NO_WAKEUP</c> until the unread bytes reach an eighth of the ring (so a burst is read long before the
/// ring fills), then with
/// <c>BPF_RB_FORCE_WAKEUP</c>; a reader that was not woken finds the records at its next poll timeout
/// (<see cref="EbpfRingSource.PollMilliseconds"/>), as a packet socket's reader finds a block at its block timeout.
/// </summary>
internal static class RingSubmit
{
    private const int NoWakeup = 1, ForceWakeup = 2; // BPF_RB_NO_WAKEUP, BPF_RB_FORCE_WAKEUP
    private const int AvailableData = 0; // BPF_RB_AVAIL_DATA

    /// <summary><c>bpf_ringbuf_submit(record, flags)</c> with the wake-up decided as above; clobbers R0–R5.</summary>
    public static void Emit(EbpfAssembler a, EbpfMap ring, EbpfRegister record)
    {
        int wakeupBytes = ring.MaxEntries / 8;
        var submit = a.DefineLabel();
        a.LoadMap(R1, ring);
        a.Mov64(R2, AvailableData);
        a.Call(EbpfHelper.RingbufQuery);
        a.Mov64(R2, NoWakeup);
        a.Jump(EbpfJumpOp.Less, R0, wakeupBytes, submit);
        a.Mov64(R2, ForceWakeup);
        a.Mark(submit);
        a.Mov64(R1, record);
        a.Call(EbpfHelper.RingbufSubmit);
    }

    /// <summary><c>bpf_ringbuf_discard(record, BPF_RB_NO_WAKEUP)</c>: nothing to read, so nobody to wake.</summary>
    public static void EmitDiscard(EbpfAssembler a, EbpfRegister record)
    {
        a.Mov64(R1, record);
        a.Mov64(R2, NoWakeup);
        a.Call(EbpfHelper.RingbufDiscard);
    }
}
