using System.Runtime.InteropServices;

namespace Wirecap.Ebpf.Interop;

/// <summary>A shared mapping of a map's memory, unmapped exactly once (also if its owner is never disposed).</summary>
internal sealed class MappedMemoryHandle : SafeHandle
{
    private readonly nuint _length;

    private MappedMemoryHandle(nint address, nuint length) : base(invalidHandleValue: 0, ownsHandle: true)
    {
        _length = length;
        SetHandle(address);
    }

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> at <paramref name="offset"/>.</summary>
    internal static MappedMemoryHandle Map(SafeHandle fd, nuint length, int protection, nint offset, string subject)
    {
        var address = EbpfLibc.Mmap(0, length, protection, EbpfLibc.MapShared, fd, offset);
        if (address == EbpfLibc.MapFailed) throw BpfErrors.ToException("mmap", BpfErrors.Last, subject);
        return new MappedMemoryHandle(address, length);
    }

    public override bool IsInvalid => handle == 0 || handle == EbpfLibc.MapFailed;

    internal unsafe byte* Pointer => (byte*)handle;

    protected override bool ReleaseHandle() => EbpfLibc.Munmap(handle, _length) == 0;
}
