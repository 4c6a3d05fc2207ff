using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary><c>BPF_PROG_QUERY</c>: which programs are attached at a hook (e.g. an interface's tcx ingress), by id —
/// our own enumeration of what is attached, without bpftool.</summary>
internal static unsafe class EbpfAttachments
{
    /// <summary>The ids of the programs attached at <paramref name="attachType"/> of <paramref name="target"/> (an
    /// interface index in the calling thread's network namespace, for tcx), in run order.</summary>
    public static uint[] Query(int target, EbpfAttachType attachType)
    {
        var ids = new uint[64];
        fixed (uint* p = ids)
        {
            var attr = new ProgramQueryAttr { Target = (uint)target, AttachType = (uint)attachType, ProgramIds = BpfSyscall.Address(p), Count = (uint)ids.Length };
            BpfSyscall.Invoke(BpfCommand.ProgramQuery, ref attr, $"{attachType} of target {target}");
            return ids[..(int)Math.Min(attr.Count, (uint)ids.Length)];
        }
    }
}
