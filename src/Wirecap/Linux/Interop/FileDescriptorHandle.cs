using System.Runtime.InteropServices;

namespace Wirecap.Linux.Interop;

/// <summary>A Linux file descriptor owned by a <see cref="SafeHandle"/>, so it is closed exactly once and
/// never while a native call is using it.</summary>
internal class FileDescriptorHandle : SafeHandle
{
    internal FileDescriptorHandle(int fd) : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    /// <summary>The raw descriptor, for <c>poll</c> (which takes descriptors by value inside a struct).</summary>
    internal int Descriptor => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}

/// <summary>An <c>AF_PACKET</c> socket.</summary>
internal sealed class PacketSocketHandle(int fd) : FileDescriptorHandle(fd);

/// <summary>An <c>eventfd</c> used to wake a thread blocked in <c>poll</c>.</summary>
internal sealed class EventFdHandle(int fd) : FileDescriptorHandle(fd);

/// <summary>An <c>AF_NETLINK</c> socket (rtnetlink, for TC qdiscs and filters).</summary>
internal sealed class NetlinkSocketHandle(int fd) : FileDescriptorHandle(fd);
