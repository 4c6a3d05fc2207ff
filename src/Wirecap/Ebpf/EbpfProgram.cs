using System.Text;
using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary>
/// A program loaded into the kernel with <c>BPF_PROG_LOAD</c>, verified and (where the kernel has a JIT) compiled.
/// Attach it with <see cref="EbpfLink"/>, or run it on a test packet with <see cref="TestRun"/>. The kernel frees it
/// when this handle and every attachment are gone.
/// </summary>
public sealed unsafe class EbpfProgram : IDisposable
{
    private const int InitialLogSize = 64 * 1024;
    private const int MaxLogSize = 16 * 1024 * 1024;
    private const int LogLinesInMessage = 12;

    private EbpfProgram(EbpfObjectHandle handle, EbpfProgramType type, string name, int length, string? log)
    {
        Handle = handle;
        Type = type;
        Name = name;
        Length = length;
        VerifierLog = log;
    }

    /// <summary>The program's descriptor.</summary>
    public EbpfObjectHandle Handle { get; }

    /// <summary>The program type it was loaded as.</summary>
    public EbpfProgramType Type { get; }

    /// <summary>The name it was loaded with.</summary>
    public string Name { get; }

    /// <summary>Instruction slots loaded.</summary>
    public int Length { get; }

    /// <summary>The verifier's statistics for a load made with <see cref="EbpfProgramLoadOptions.KeepVerifierLog"/>, else null.</summary>
    public string? VerifierLog { get; }

    /// <summary>The program's kernel-wide id (what <c>bpftool prog show</c> lists).</summary>
    public uint Id => EbpfObjectInfo.IdOf(Handle, $"program '{Name}'");

    /// <summary>Loads <paramref name="code"/> as a program of the kind <paramref name="options"/> describes.</summary>
    /// <exception cref="EbpfVerifierException">The verifier rejected the program; the message ends with its log's last lines.</exception>
    /// <exception cref="EbpfPermissionException">The kernel refused for lack of privilege.</exception>
    /// <exception cref="EbpfException">Another refusal (no such program type, too many instructions…).</exception>
    public static EbpfProgram Load(EbpfCode code, EbpfProgramLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(code);
        var program = Load(code.Instructions, options);
        GC.KeepAlive(code.Maps);
        foreach (var map in code.Maps) GC.KeepAlive(map);
        return program;
    }

    /// <summary>Loads raw instructions (map descriptors already in their <c>ld_imm64</c> slots; the maps must be open).</summary>
    /// <inheritdoc cref="Load(EbpfCode, EbpfProgramLoadOptions)"/>
    public static EbpfProgram Load(ReadOnlySpan<EbpfInstruction> instructions, EbpfProgramLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (instructions.IsEmpty) throw new ArgumentException("an eBPF program needs at least one instruction (exit)", nameof(instructions));
        string subject = $"{options.Type} program '{options.Name}' ({instructions.Length} instructions)";
        byte[] license = Encoding.ASCII.GetBytes(options.License + "\0");

        // First try without a log (the common, fast case); on a refusal load again with the verifier's log.
        int logLevel = options.KeepVerifierLog ? 4 /* BPF_LOG_STATS */ : 0;
        var (fd, errno, log) = TryLoad(instructions, options, license, logLevel);
        if (fd < 0 && logLevel == 0 && errno is not (BpfErrors.ENOSYS or BpfErrors.EOPNOTSUPP))
        {
            var (retryFd, retryErrno, retryLog) = TryLoad(instructions, options, license, 1);
            if (retryFd >= 0)
            {
                fd = retryFd;
            }
            else
            {
                errno = retryErrno;
                log = retryLog;
            }
        }
        if (fd < 0) throw LoadFailure(subject, errno, log ?? "");
        return new EbpfProgram(new EbpfObjectHandle(fd), options.Type, options.Name, instructions.Length, options.KeepVerifierLog ? log : null);
    }

    private static (int Fd, int Errno, string? Log) TryLoad(ReadOnlySpan<EbpfInstruction> instructions, EbpfProgramLoadOptions options, byte[] license, int logLevel)
    {
        int logSize = logLevel == 0 ? 0 : InitialLogSize;
        while (true)
        {
            byte[]? logBuffer = logSize == 0 ? null : new byte[logSize];
            int fd, errno;
            uint trueSize;
            fixed (EbpfInstruction* insns = instructions)
            fixed (byte* lic = license)
            fixed (byte* logPtr = logBuffer)
            {
                var attr = new ProgramLoadAttr
                {
                    ProgramType = (uint)options.Type,
                    InstructionCount = (uint)instructions.Length,
                    Instructions = BpfSyscall.Address(insns),
                    License = BpfSyscall.Address(lic),
                    LogLevel = (uint)logLevel,
                    LogSize = (uint)logSize,
                    LogBuffer = BpfSyscall.Address(logPtr),
                    ExpectedAttachType = (uint)options.ExpectedAttachType,
                    AttachBtfId = options.AttachBtfId,
                };
                BpfSyscall.CopyName(options.Name, attr.Name);
                fd = BpfSyscall.TryInvoke(BpfCommand.ProgramLoad, ref attr, out errno);
                trueSize = attr.LogTrueSize;
            }
            string? log = logBuffer is null ? null : Decode(logBuffer);
            if (fd < 0 && errno == BpfErrors.ENOSPC && logSize > 0 && logSize < MaxLogSize)
            {
                // The log did not fit: grow it (to the size the kernel asks for, when it says, kernel ≥ 6.4).
                logSize = (int)Math.Min(MaxLogSize, Math.Max((long)logSize * 4, trueSize + 1L));
                continue;
            }
            return (fd, errno, log);
        }
    }

    private static string Decode(byte[] buffer)
    {
        int end = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }

    private static EbpfException LoadFailure(string subject, int errno, string log)
    {
        const string call = "bpf(BPF_PROG_LOAD)";
        if (string.IsNullOrWhiteSpace(log)) return BpfErrors.ToException(call, errno, subject);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var tail = string.Join("\n  ", lines.Skip(Math.Max(0, lines.Length - LogLinesInMessage)));
        var system = System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
        return new EbpfVerifierException(call, errno,
            $"{call} failed for {subject}: the verifier rejected it ({system}); the log ends:\n  {tail}", log);
    }

    /// <summary>Runs the program once (or <paramref name="repeat"/> times) on <paramref name="packet"/> with
    /// <c>BPF_PROG_TEST_RUN</c>, without attaching it: the kernel as an oracle and a benchmark.</summary>
    /// <param name="packet">The input packet (for TC programs at least an Ethernet header, 14 bytes).</param>
    /// <param name="dataOut">Receives the packet after the run (empty: not wanted).</param>
    /// <param name="repeat">Repetitions; the result's duration is the mean.</param>
    /// <param name="context">The context the program sees, e.g. a <c>struct __sk_buff</c> with only the fields the
    /// kernel lets a test set (mark, priority, ifindex, cb, tstamp, wire_len…); empty for the default.</param>
    /// <exception cref="EbpfException">The kernel refused (this program type has no test run, a context field it does not allow…).</exception>
    public EbpfTestRunResult TestRun(ReadOnlySpan<byte> packet, Span<byte> dataOut = default, int repeat = 1, ReadOnlySpan<byte> context = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeat);
        bool added = false;
        try
        {
            Handle.DangerousAddRef(ref added);
            fixed (byte* data = packet)
            fixed (byte* output = dataOut)
            fixed (byte* ctx = context)
            {
                var attr = new TestRunAttr
                {
                    ProgramFd = (uint)Handle.Descriptor,
                    DataSizeIn = (uint)packet.Length,
                    DataIn = BpfSyscall.Address(data),
                    DataSizeOut = (uint)dataOut.Length,
                    DataOut = BpfSyscall.Address(output),
                    Repeat = (uint)repeat,
                    ContextSizeIn = (uint)context.Length,
                    ContextIn = BpfSyscall.Address(ctx),
                };
                BpfSyscall.Invoke(BpfCommand.ProgramTestRun, ref attr, $"program '{Name}' on a {packet.Length}-byte packet");
                return new EbpfTestRunResult(attr.ReturnValue, attr.Duration, (int)attr.DataSizeOut);
            }
        }
        finally
        {
            if (added) Handle.DangerousRelease();
        }
    }

    /// <summary>Closes this process's descriptor (attachments keep the program alive).</summary>
    public void Dispose() => Handle.Dispose();
}
