using System.Runtime.InteropServices;

namespace Wirecap.Tests.Linux;

/// <summary>Drops a capability from the calling thread's effective set (Linux capabilities are per thread), to
/// test what an unprivileged process sees without starting one.</summary>
internal static unsafe partial class ThreadCapabilities
{
    public const int NetRaw = 13;

    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    public static void DropEffective(int capability)
    {
        var header = new Header { Version = 0x20080522 };
        var data = stackalloc Data[2];
        if (CapGet(&header, data) != 0) throw new InvalidOperationException($"capget failed: {Marshal.GetLastPInvokeError()}");
        data[capability / 32].Effective &= ~(1u << (capability % 32));
        if (CapSet(&header, data) != 0) throw new InvalidOperationException($"capset failed: {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static partial int CapGet(Header* header, Data* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static partial int CapSet(Header* header, Data* data);
}
