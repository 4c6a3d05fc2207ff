namespace Wirecap.Linux;

/// <summary>A system call made for live capture failed. The message names the call, the device and the
/// reason; <see cref="ErrorNumber"/> holds the Linux <c>errno</c>.</summary>
public class LinuxCaptureException : IOException
{
    /// <summary>Creates the exception.</summary>
    public LinuxCaptureException(string call, int errorNumber, string message) : base(message)
    {
        Call = call;
        ErrorNumber = errorNumber;
    }

    /// <summary>The system call (and option) that failed, e.g. <c>setsockopt(PACKET_RX_RING)</c>.</summary>
    public string Call { get; }

    /// <summary>The Linux <c>errno</c> value the call returned.</summary>
    public int ErrorNumber { get; }
}

/// <summary>The process lacks <c>CAP_NET_RAW</c> (or <c>CAP_NET_ADMIN</c>) needed to open a packet socket.</summary>
public sealed class CapturePermissionException(string call, int errorNumber, string message)
    : LinuxCaptureException(call, errorNumber, message);

/// <summary>No network interface has the given name or index (in this network namespace).</summary>
public sealed class InterfaceNotFoundException(string call, int errorNumber, string message)
    : LinuxCaptureException(call, errorNumber, message);

/// <summary>The interface exists but is down.</summary>
public sealed class InterfaceDownException(string call, int errorNumber, string message)
    : LinuxCaptureException(call, errorNumber, message);

/// <summary>The kernel could not allocate or map the receive ring of the requested size.</summary>
public sealed class RingAllocationException(string call, int errorNumber, string message)
    : LinuxCaptureException(call, errorNumber, message)
{
    /// <summary>Size of the ring that was asked for, in bytes (0 when not known).</summary>
    public long RequestedBytes { get; init; }
}
