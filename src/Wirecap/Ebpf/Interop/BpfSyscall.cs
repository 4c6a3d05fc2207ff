using System.Runtime.CompilerServices;

namespace Wirecap.Ebpf.Interop;

/// <summary>Issues <c>bpf(2)</c> commands. Every call goes through <see cref="Invoke{T}"/>, which names the command
/// in the exception it throws.</summary>
internal static unsafe class BpfSyscall
{
    /// <summary>Runs <paramref name="command"/> with <paramref name="attributes"/>; returns the kernel's non-negative
    /// result (a new descriptor for the commands that create objects).</summary>
    /// <exception cref="EbpfException">The kernel returned an error; the message names the command and <paramref name="subject"/>.</exception>
    internal static int Invoke<T>(BpfCommand command, ref T attributes, string? subject) where T : unmanaged
    {
        int result = TryInvoke(command, ref attributes, out int errorNumber);
        if (result < 0) throw BpfErrors.ToException(Name(command), errorNumber, subject);
        return result;
    }

    /// <summary>Runs <paramref name="command"/>; returns -1 with the errno in <paramref name="errorNumber"/> on failure
    /// (retrying <c>EINTR</c> and the <c>EAGAIN</c> a program load may return while the verifier is interrupted).</summary>
    internal static int TryInvoke<T>(BpfCommand command, ref T attributes, out int errorNumber) where T : unmanaged
    {
        long number = EbpfLibc.BpfSyscallNumber;
        for (int attempt = 0; ; attempt++)
        {
            long result;
            fixed (T* p = &attributes)
                result = EbpfLibc.Syscall(number, (long)command, p, sizeof(T));
            if (result >= 0)
            {
                errorNumber = 0;
                return (int)result;
            }
            errorNumber = BpfErrors.Last;
            bool transient = errorNumber == BpfErrors.EINTR || (errorNumber == BpfErrors.EAGAIN && command == BpfCommand.ProgramLoad);
            if (!transient || attempt >= 5) return -1;
        }
    }

    /// <summary>The command as the kernel headers spell it, e.g. <c>bpf(BPF_PROG_LOAD)</c>.</summary>
    internal static string Name(BpfCommand command) => command switch
    {
        BpfCommand.MapCreate => "bpf(BPF_MAP_CREATE)",
        BpfCommand.MapLookupElement => "bpf(BPF_MAP_LOOKUP_ELEM)",
        BpfCommand.MapUpdateElement => "bpf(BPF_MAP_UPDATE_ELEM)",
        BpfCommand.ProgramLoad => "bpf(BPF_PROG_LOAD)",
        BpfCommand.ProgramTestRun => "bpf(BPF_PROG_TEST_RUN)",
        BpfCommand.ObjectGetInfoByFd => "bpf(BPF_OBJ_GET_INFO_BY_FD)",
        BpfCommand.ProgramQuery => "bpf(BPF_PROG_QUERY)",
        BpfCommand.RawTracepointOpen => "bpf(BPF_RAW_TRACEPOINT_OPEN)",
        BpfCommand.LinkCreate => "bpf(BPF_LINK_CREATE)",
        BpfCommand.LinkDetach => "bpf(BPF_LINK_DETACH)",
        _ => $"bpf({(int)command})",
    };

    /// <summary>Copies <paramref name="name"/> into a 16-byte object-name field (the kernel allows [A-Za-z0-9_.], 15 characters).</summary>
    internal static void CopyName(string? name, byte* destination)
    {
        if (string.IsNullOrEmpty(name)) return;
        int n = 0;
        foreach (char c in name)
        {
            if (n == 15) break;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.') destination[n++] = (byte)c;
        }
    }

    /// <summary>The address of a pinned buffer as the kernel's <c>__aligned_u64</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Address(void* pointer) => (ulong)(nuint)pointer;
}
