using System.Runtime.InteropServices;
using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary><c>BPF_OBJ_GET_INFO_BY_FD</c>: the kernel-wide ids of maps, programs and links (the ids <c>bpftool</c> shows).</summary>
internal static unsafe class EbpfObjectInfo
{
    // bpf_prog_info, bpf_map_info and bpf_link_info all begin { u32 type; u32 id; ... }; programs then have
    // tag[8], jited_prog_len, xlated_prog_len; links have prog_id.
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    internal struct Header
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(4)] public uint Id;
        [FieldOffset(8)] public uint LinkProgramId;
        [FieldOffset(16)] public uint JitedLength;
        [FieldOffset(20)] public uint TranslatedLength;
    }

    internal static Header Read(EbpfObjectHandle handle, string subject)
    {
        Header info = default;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var attr = new ObjectInfoAttr { Fd = (uint)handle.Descriptor, InfoLength = (uint)sizeof(Header), Info = BpfSyscall.Address(&info) };
            BpfSyscall.Invoke(BpfCommand.ObjectGetInfoByFd, ref attr, subject);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        return info;
    }

    internal static uint IdOf(EbpfObjectHandle handle, string subject) => Read(handle, subject).Id;
}
