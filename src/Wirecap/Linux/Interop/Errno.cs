using System.Runtime.InteropServices;

namespace Wirecap.Linux.Interop;

/// <summary>Turns a failed call's <c>errno</c> into the exception that explains it.</summary>
internal static class Errno
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int ENXIO = 6;
    internal const int EAGAIN = 11;
    internal const int ENOMEM = 12;
    internal const int EACCES = 13;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;
    internal const int ENETDOWN = 100;
    internal const int ENOBUFS = 105;

    /// <summary>The errno of the last call made with <c>SetLastError = true</c>.</summary>
    internal static int Last => Marshal.GetLastPInvokeError();

    /// <summary>Builds the exception for <paramref name="call"/> failing with <paramref name="errorNumber"/>
    /// while working on <paramref name="device"/> (null when no device is involved).</summary>
    internal static LinuxCaptureException ToException(string call, int errorNumber, string? device)
    {
        var where = device is null ? "" : $" on '{device}'";
        var system = Marshal.GetPInvokeErrorMessage(errorNumber);
        return errorNumber switch
        {
            EPERM or EACCES => new CapturePermissionException(call, errorNumber,
                $"{call} failed{where}: {system}; needs CAP_NET_RAW: run as root or grant the capability (setcap cap_net_raw,cap_net_admin=eip)"),
            ENODEV or ENXIO => new InterfaceNotFoundException(call, errorNumber,
                $"{call} failed: no interface {(device is null ? "" : $"'{device}' ")}in this network namespace ({system})"),
            ENETDOWN => new InterfaceDownException(call, errorNumber,
                $"{call} failed: interface{(device is null ? "" : $" '{device}'")} is down ({system}); bring it up with 'ip link set {device ?? "DEV"} up'"),
            ENOMEM or ENOBUFS => new RingAllocationException(call, errorNumber,
                $"{call} failed{where}: {system}; the receive ring is too large for the kernel to allocate (reduce the ring size)"),
            _ => new LinuxCaptureException(call, errorNumber, $"{call} failed{where}: {system} (errno {errorNumber})"),
        };
    }

    /// <summary>Throws for the last errno when <paramref name="result"/> is negative.</summary>
    internal static void ThrowIfFailed(int result, string call, string? device)
    {
        if (result < 0) throw ToException(call, Last, device);
    }
}
