using System.Runtime.InteropServices;

namespace Wirecap.Ebpf.Interop;

/// <summary>The C library calls the eBPF layer needs: the <c>bpf(2)</c> and <c>perf_event_open(2)</c> system calls
/// (through <c>syscall</c>, since the C library wraps neither), closing descriptors, mapping ring buffers, waiting on them and reading clocks.
/// Every native declaration of this layer lives here.</summary>
internal static unsafe partial class EbpfLibc
{
    private const string Library = "libc";

    internal const int ProtRead = 0x1;
    internal const int ProtWrite = 0x2;
    internal const int MapShared = 0x01;
    internal static readonly nint MapFailed = -1;

    internal const short PollIn = 0x001;

    internal const int ClockRealtime = 0;
    internal const int ClockMonotonic = 1;

    /// <summary>The C <c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>The C <c>struct timespec</c> (64-bit Linux).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>The <c>bpf</c> system call number of this architecture.</summary>
    internal static long BpfSyscallNumber => SyscallNumber("bpf(2)", x64: 321, arm64: 280, x86: 357, arm: 386);

    /// <summary>The <c>perf_event_open</c> system call number of this architecture.</summary>
    internal static long PerfEventOpenSyscallNumber => SyscallNumber("perf_event_open(2)", x64: 298, arm64: 241, x86: 336, arm: 364);

    /// <summary>A system call's number here (LoongArch64 uses the generic table, as arm64 does).</summary>
    private static long SyscallNumber(string call, long x64, long arm64, long x86, long arm) => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => x64,
        Architecture.Arm64 or Architecture.LoongArch64 => arm64,
        Architecture.X86 => x86,
        Architecture.Arm => arm,
        var other => throw new PlatformNotSupportedException($"{call}: no system call number known for {other}"),
    };

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long command, void* attributes, long size);

    /// <summary><c>perf_event_open(attr, pid, cpu, group_fd, flags)</c> through <c>syscall</c>.</summary>
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    internal static partial long PerfEventOpen(long number, void* attributes, long pid, long cpu, long groupFd, ulong flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint address, nuint length, int protection, int flags, SafeHandle fd, nint offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(nint address, nuint length);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int ClockGetTime(int clock, TimeSpec* time);

    [LibraryImport(Library, EntryPoint = "getpagesize")]
    internal static partial int GetPageSize();
}
