using System.Text;
using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary>
/// An attachment of a program owned by a descriptor (<c>BPF_LINK_CREATE</c> or <c>BPF_RAW_TRACEPOINT_OPEN</c>): it
/// lasts while the descriptor is open, so disposing it, or the process dying, detaches the program.
/// </summary>
public sealed unsafe class EbpfLink : IDisposable
{
    private EbpfLink(EbpfObjectHandle handle, string description)
    {
        Handle = handle;
        Description = description;
    }

    /// <summary>The link's descriptor.</summary>
    public EbpfObjectHandle Handle { get; }

    /// <summary>What is attached where, e.g. <c>tcx ingress of ifindex 4</c>.</summary>
    public string Description { get; }

    /// <summary>The link's kernel-wide id (what <c>bpftool link show</c> lists).</summary>
    public uint Id => EbpfObjectInfo.IdOf(Handle, Description);

    /// <summary>Attaches <paramref name="program"/> with <c>BPF_LINK_CREATE</c>.</summary>
    /// <param name="program">The program.</param>
    /// <param name="target">The target: an interface index for tcx, a perf event's descriptor (<see cref="KprobeEvent"/>)
    /// for <see cref="EbpfAttachType.PerfEvent"/>, 0 for BTF tracepoints.</param>
    /// <param name="attachType">Where to attach.</param>
    /// <param name="relative">tcx: <c>relative_fd</c>; tracing: <c>target_btf_id</c>; usually 0.</param>
    /// <param name="flags">Link flags (tcx: <c>BPF_F_BEFORE</c>, <c>BPF_F_AFTER</c>…), usually 0.</param>
    /// <exception cref="EbpfNotSupportedException">The kernel has no such attach type (e.g. tcx before 6.6).</exception>
    /// <exception cref="EbpfException">Another refusal.</exception>
    public static EbpfLink Create(EbpfProgram program, int target, EbpfAttachType attachType, uint relative = 0, uint flags = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        string description = attachType switch
        {
            EbpfAttachType.TcxIngress => $"tcx ingress of ifindex {target}",
            EbpfAttachType.TcxEgress => $"tcx egress of ifindex {target}",
            EbpfAttachType.PerfEvent => $"perf event {target} of program '{program.Name}'",
            _ => $"{attachType} link of program '{program.Name}'",
        };
        var attr = new LinkCreateAttr
        {
            ProgramFd = (uint)program.Handle.Descriptor,
            Target = (uint)target,
            AttachType = (uint)attachType,
            Flags = flags,
            Relative = relative,
        };
        int fd = BpfSyscall.TryInvoke(BpfCommand.LinkCreate, ref attr, out int errno);
        GC.KeepAlive(program);
        if (fd < 0)
        {
            // An unknown attach type comes back as EINVAL: say that it is the kernel that lacks it.
            if (errno == BpfErrors.EINVAL && attachType is EbpfAttachType.TcxIngress or EbpfAttachType.TcxEgress && !KernelHasTcx())
                throw new EbpfNotSupportedException("bpf(BPF_LINK_CREATE)", errno,
                    $"bpf(BPF_LINK_CREATE) failed for {description}: this kernel has no tcx (needs Linux 6.6 with CONFIG_NET_XGRESS); use a clsact qdisc with cls_bpf instead");
            if (errno == BpfErrors.EINVAL && attachType == EbpfAttachType.PerfEvent && Environment.OSVersion.Version < new Version(5, 15))
                throw new EbpfNotSupportedException("bpf(BPF_LINK_CREATE)", errno,
                    $"bpf(BPF_LINK_CREATE) failed for {description}: links to perf events need Linux 5.15");
            throw BpfErrors.ToException("bpf(BPF_LINK_CREATE)", errno, description);
        }
        return new EbpfLink(new EbpfObjectHandle(fd), description);
    }

    /// <summary>Attaches a raw-tracepoint (or tp_btf, with a null name) program with <c>BPF_RAW_TRACEPOINT_OPEN</c>;
    /// <paramref name="cookie"/> is what <c>bpf_get_attach_cookie</c> returns (kernel ≥ 6.10; 0 otherwise).</summary>
    public static EbpfLink OpenRawTracepoint(EbpfProgram program, string? tracepoint, ulong cookie = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        byte[]? name = tracepoint is null ? null : Encoding.ASCII.GetBytes(tracepoint + "\0");
        string description = $"raw tracepoint {tracepoint ?? "(BTF)"} of program '{program.Name}'";
        fixed (byte* n = name)
        {
            var attr = new RawTracepointOpenAttr { Name = BpfSyscall.Address(n), ProgramFd = (uint)program.Handle.Descriptor, Cookie = cookie };
            int fd = BpfSyscall.Invoke(BpfCommand.RawTracepointOpen, ref attr, description);
            GC.KeepAlive(program);
            return new EbpfLink(new EbpfObjectHandle(fd), description);
        }
    }

    /// <summary>Detaches the program now (<c>BPF_LINK_DETACH</c>), while the descriptor stays open; disposing does the same.</summary>
    public void Detach()
    {
        var attr = new LinkDetachAttr { LinkFd = (uint)Handle.Descriptor };
        BpfSyscall.Invoke(BpfCommand.LinkDetach, ref attr, Description);
    }

    /// <summary>Closes the descriptor, which detaches the program.</summary>
    public void Dispose() => Handle.Dispose();

    /// <summary>True when this kernel knows tcx (its BTF names <c>tcx_link_lops</c>' type, or the version is ≥ 6.6).</summary>
    internal static bool KernelHasTcx() => Environment.OSVersion.Version >= new Version(6, 6);
}
