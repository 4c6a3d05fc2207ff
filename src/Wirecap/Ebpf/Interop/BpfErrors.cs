using System.Runtime.InteropServices;

namespace Wirecap.Ebpf.Interop;

/// <summary>Turns a failed call's <c>errno</c> into the exception that explains it and says what to do.</summary>
internal static class BpfErrors
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int E2BIG = 7;
    internal const int EBADF = 9;
    internal const int EAGAIN = 11;
    internal const int EACCES = 13;
    internal const int EEXIST = 17;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;
    internal const int ENOSPC = 28;
    internal const int ENOSYS = 38;
    internal const int EOPNOTSUPP = 95;

    /// <summary>The errno of the last call made with <c>SetLastError = true</c>.</summary>
    internal static int Last => Marshal.GetLastPInvokeError();

    /// <summary>Builds the exception for <paramref name="call"/> failing with <paramref name="errorNumber"/>
    /// while working on <paramref name="subject"/> (a map, program or interface; null when none).</summary>
    internal static EbpfException ToException(string call, int errorNumber, string? subject)
    {
        var where = subject is null ? "" : $" for {subject}";
        var system = Marshal.GetPInvokeErrorMessage(errorNumber);
        return errorNumber switch
        {
            EPERM or EACCES => new EbpfPermissionException(call, errorNumber,
                $"{call} failed{where}: {system}; the kernel refused for lack of privilege: eBPF needs CAP_BPF (or CAP_SYS_ADMIN), " +
                "TC attachment also CAP_NET_ADMIN, tracing also CAP_PERFMON; run as root or grant them " +
                "(setcap cap_bpf,cap_net_admin,cap_perfmon=eip), and check kernel.unprivileged_bpf_disabled and any LSM policy"),
            ENOSYS => new EbpfNotSupportedException(call, errorNumber,
                $"{call} failed{where}: {system}; this kernel has no bpf(2) system call (built without CONFIG_BPF_SYSCALL, or blocked by seccomp)"),
            EOPNOTSUPP => new EbpfNotSupportedException(call, errorNumber,
                $"{call} failed{where}: {system}; this kernel does not support it (too old, or built without the feature)"),
            _ => new EbpfException(call, errorNumber, $"{call} failed{where}: {system} (errno {errorNumber})"),
        };
    }
}
