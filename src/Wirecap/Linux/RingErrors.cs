using System.Runtime.InteropServices;
using Wirecap.Linux.Interop;

namespace Wirecap.Linux;

/// <summary>Explains a refused receive ring: which call failed, how large the ring was and what to change, instead
/// of a bare errno.</summary>
internal static class RingErrors
{
    internal const string Advice = "use a smaller ring (PacketCaptureOptions.RingSize)";

    /// <summary>The exception for <c>setsockopt(PACKET_RX_RING)</c> failing with <paramref name="errorNumber"/>:
    /// out of memory means the kernel could not allocate that many pages.</summary>
    internal static LinuxCaptureException Allocation(int errorNumber, string device, long ringBytes) =>
        IsOutOfMemory(errorNumber)
            ? TooLarge("setsockopt(PACKET_RX_RING)", errorNumber, device, ringBytes, "for the kernel to allocate")
            : Errno.ToException("setsockopt(PACKET_RX_RING)", errorNumber, device);

    /// <summary>The exception for <c>mmap</c> of the ring failing: out of memory means the ring does not fit in
    /// this process's address space (its <c>RLIMIT_AS</c>, <c>ulimit -v</c>) or map count.</summary>
    internal static LinuxCaptureException Mapping(int errorNumber, string device, long ringBytes) =>
        IsOutOfMemory(errorNumber)
            ? TooLarge("mmap(PACKET_RX_RING)", errorNumber, device, ringBytes, "to map into this process (see its address-space limit, ulimit -v)")
            : Errno.ToException("mmap(PACKET_RX_RING)", errorNumber, device);

    /// <summary>A ring refused before the kernel is asked; <paramref name="why"/> says which limit it breaks.</summary>
    internal static RingAllocationException Refused(string device, long ringBytes, string why) =>
        new("setsockopt(PACKET_RX_RING)", Errno.ENOMEM, $"receive ring of {Describe(ringBytes)} for '{device}' is too large: {why}; {Advice}")
        {
            RequestedBytes = ringBytes,
        };

    private static bool IsOutOfMemory(int errorNumber) => errorNumber is Errno.ENOMEM or Errno.ENOBUFS;

    private static RingAllocationException TooLarge(string call, int errorNumber, string device, long ringBytes, string what) =>
        new(call, errorNumber, $"{call} failed on '{device}': {Marshal.GetPInvokeErrorMessage(errorNumber)}: the receive ring of " +
            $"{Describe(ringBytes)} is too large {what}; {Advice}")
        {
            RequestedBytes = ringBytes,
        };

    private static string Describe(long bytes) => $"{bytes} bytes ({bytes / 1024.0 / 1024.0:0.#} MiB)";
}
