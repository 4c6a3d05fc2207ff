using System.Runtime.InteropServices;
using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary>
/// A kprobe on the entry of a kernel function, made as a perf event of the kernel's kprobe PMU with
/// <c>perf_event_open(2)</c>: no tracefs <c>kprobe_events</c> entry is written, so nothing is left behind — the
/// kprobe exists while this descriptor, or a link holding it, is open, and goes when the process dies. Attach a
/// <see cref="EbpfProgramType.Kprobe"/> program with <see cref="EbpfLink.Create"/> (target: <see cref="Handle"/>'s
/// descriptor, attach type <see cref="EbpfAttachType.PerfEvent"/>); the link keeps the event, so this object may be
/// disposed once the link exists.
/// </summary>
public sealed class KprobeEvent : IDisposable
{
    /// <summary>Where the kernel publishes its kprobe PMU; missing when it was built without <c>CONFIG_KPROBES</c>.</summary>
    public const string PmuPath = "/sys/bus/event_source/devices/kprobe";

    private const string Call = "perf_event_open";

    private KprobeEvent(EbpfObjectHandle handle, string function)
    {
        Handle = handle;
        Function = function;
    }

    /// <summary>The perf event's descriptor.</summary>
    public EbpfObjectHandle Handle { get; }

    /// <summary>The probed function.</summary>
    public string Function { get; }

    /// <summary>True when this kernel has a kprobe PMU.</summary>
    public static bool KernelHasKprobes => Directory.Exists(PmuPath);

    /// <summary>Places a kprobe at the entry of <paramref name="function"/> (any CPU, any process).</summary>
    /// <exception cref="EbpfNotSupportedException">The kernel has no kprobe PMU.</exception>
    /// <exception cref="EbpfPermissionException">Not allowed (needs <c>CAP_PERFMON</c> or <c>CAP_SYS_ADMIN</c>; lockdown).</exception>
    /// <exception cref="EbpfException">The function cannot be probed (unknown, blacklisted) or another refusal.</exception>
    public static KprobeEvent Open(string function)
    {
        ArgumentException.ThrowIfNullOrEmpty(function);
        int fd = PerfProbeEvent.TryOpen(PmuType(function), function, 0, out int errno);
        if (fd < 0) throw Failure(function, errno);
        return new KprobeEvent(new EbpfObjectHandle(fd), function);
    }

    private static uint PmuType(string function)
    {
        try
        {
            return PerfProbeEvent.PmuType(PmuPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EbpfNotSupportedException(Call, BpfErrors.ENOENT,
                $"{Call} failed for a kprobe on {function}: this kernel has no kprobe PMU ({PmuPath}/type cannot be read: {e.Message}; " +
                "CONFIG_KPROBES is not set, or the kernel predates 4.17)");
        }
        catch (FormatException)
        {
            throw new EbpfException(Call, 0, $"{Call} failed for a kprobe on {function}: {PmuPath}/type does not hold a PMU type number");
        }
    }

    private static EbpfException Failure(string function, int errno)
    {
        string subject = $"a kprobe on {function}";
        string system = Marshal.GetPInvokeErrorMessage(errno);
        return errno switch
        {
            BpfErrors.ENOENT => new EbpfException(Call, errno,
                $"{Call} failed for {subject}: {system}; the kernel has no probeable function '{function}' (it is not in " +
                "/sys/kernel/tracing/available_filter_functions, or is blacklisted in /sys/kernel/debug/kprobes/blacklist)"),
            BpfErrors.EINVAL => new EbpfException(Call, errno,
                $"{Call} failed for {subject}: {system}; the kernel refused to place a kprobe there (blacklisted in " +
                "/sys/kernel/debug/kprobes/blacklist, or marked notrace/NOKPROBE_SYMBOL)"),
            BpfErrors.EPERM or BpfErrors.EACCES => new EbpfPermissionException(Call, errno,
                $"{Call} failed for {subject}: {system}; kprobe events need CAP_PERFMON (or CAP_SYS_ADMIN): run as root or grant it " +
                "(setcap cap_bpf,cap_perfmon=eip), and check kernel.perf_event_paranoid and the kernel's lockdown mode"),
            BpfErrors.ENODEV or BpfErrors.EOPNOTSUPP => new EbpfNotSupportedException(Call, errno,
                $"{Call} failed for {subject}: {system}; this kernel's kprobe PMU does not support it"),
            _ => BpfErrors.ToException(Call, errno, subject),
        };
    }

    /// <summary>Closes the descriptor; the kprobe goes when no link holds it either.</summary>
    public void Dispose() => Handle.Dispose();
}
