namespace Wirecap.Ebpf;

/// <summary>A <c>bpf(2)</c> command (or a call around it: <c>mmap</c> of a ring buffer, netlink for TC) failed.
/// The message names the call, what it worked on and the reason; <see cref="ErrorNumber"/> holds the
/// Linux <c>errno</c>.</summary>
public class EbpfException : IOException
{
    /// <summary>Creates the exception.</summary>
    public EbpfException(string call, int errorNumber, string message) : base(message)
    {
        Call = call;
        ErrorNumber = errorNumber;
    }

    /// <summary>The call that failed, e.g. <c>bpf(BPF_PROG_LOAD)</c>.</summary>
    public string Call { get; }

    /// <summary>The Linux <c>errno</c> value the call returned (0 when the failure was found in user space).</summary>
    public int ErrorNumber { get; }
}

/// <summary>The kernel refused for lack of privilege (<c>EPERM</c>/<c>EACCES</c>): loading programs needs
/// <c>CAP_BPF</c> (or <c>CAP_SYS_ADMIN</c>), tracing also <c>CAP_PERFMON</c>, TC also <c>CAP_NET_ADMIN</c>.</summary>
public sealed class EbpfPermissionException(string call, int errorNumber, string message)
    : EbpfException(call, errorNumber, message);

/// <summary>The kernel lacks what was asked for: no <c>bpf(2)</c> at all, or a map type, program type,
/// attach type or hook it was built without or predates.</summary>
public sealed class EbpfNotSupportedException(string call, int errorNumber, string message)
    : EbpfException(call, errorNumber, message);

/// <summary>The verifier rejected a program. <see cref="VerifierLog"/> holds its whole log; the message ends
/// with the log's last lines, which say why.</summary>
public sealed class EbpfVerifierException(string call, int errorNumber, string message, string verifierLog)
    : EbpfException(call, errorNumber, message)
{
    /// <summary>The verifier's complete log (empty when the kernel refused before verifying).</summary>
    public string VerifierLog { get; } = verifierLog;
}
