using System.Runtime.InteropServices;

namespace Wirecap.Linux.Interop;

/// <summary>Waiting for ring blocks (<c>poll</c>) and waking the waiter (<c>eventfd</c>).</summary>
internal static unsafe partial class Libc
{
    internal const short PollIn = 0x001;
    internal const short PollErr = 0x008;
    internal const short PollHup = 0x010;
    internal const short PollNval = 0x020;

    internal const int EventFdCloseOnExec = 0x80000;
    internal const int EventFdNonBlocking = 0x800;

    /// <summary>The C <c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(SafeHandle fd, void* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(SafeHandle fd, void* buffer, nuint length);
}
