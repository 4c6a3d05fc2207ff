using System.Runtime.InteropServices;

namespace Wirecap.Linux.Interop;

/// <summary>Memory mapping of the receive ring.</summary>
internal static unsafe partial class Libc
{
    internal const int ProtRead = 0x1;
    internal const int ProtWrite = 0x2;
    internal const int MapShared = 0x01;
    internal static readonly nint MapFailed = -1;

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint address, nuint length, int protection, int flags, SafeHandle fd, nint offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(nint address, nuint length);
}
