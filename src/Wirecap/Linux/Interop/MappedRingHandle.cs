using System.Runtime.InteropServices;

namespace Wirecap.Linux.Interop;

/// <summary>A shared mapping of a packet socket's ring, unmapped exactly once (also if its owner is never disposed).</summary>
internal sealed class MappedRingHandle : SafeHandle
{
    private readonly nuint _length;

    internal MappedRingHandle(nint address, nuint length) : base(invalidHandleValue: 0, ownsHandle: true)
    {
        _length = length;
        SetHandle(address);
    }

    /// <summary>Maps the ring set up on <paramref name="socket"/> (<paramref name="length"/> bytes: all its blocks).</summary>
    internal static MappedRingHandle Map(PacketSocketHandle socket, nuint length, string device)
    {
        var mapping = Libc.Mmap(0, length, Libc.ProtRead | Libc.ProtWrite, Libc.MapShared, socket, 0);
        if (mapping == Libc.MapFailed) throw RingErrors.Mapping(Errno.Last, device, (long)length);
        return new MappedRingHandle(mapping, length);
    }

    public override bool IsInvalid => handle == 0 || handle == Libc.MapFailed;

    internal nuint Length => _length;

    protected override bool ReleaseHandle() => Libc.Munmap(handle, _length) == 0;
}
