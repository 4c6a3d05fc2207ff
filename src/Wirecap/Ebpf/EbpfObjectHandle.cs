using System.Runtime.InteropServices;
using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary>A descriptor of a kernel eBPF object (map, program or link) or of a perf event, closed exactly once and never while a
/// native call uses it. Closing the last descriptor of a link detaches it; the kernel frees a map or program when
/// no descriptor and no attachment refer to it.</summary>
public sealed class EbpfObjectHandle : SafeHandle
{
    internal EbpfObjectHandle(int fd) : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc />
    public override bool IsInvalid => handle < 0;

    /// <summary>The raw descriptor, for attributes that carry descriptors by value (valid while this handle is alive).</summary>
    public int Descriptor => (int)handle;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => EbpfLibc.Close((int)handle) == 0;
}
