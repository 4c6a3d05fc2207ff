using System.Globalization;
using System.Text;

namespace Wirecap.Ebpf.Interop;

/// <summary>
/// <c>perf_event_open(2)</c> on one of the kernel's dynamic-probe PMUs (<c>kprobe</c>, <c>uprobe</c>), which take what to
/// probe in <c>config1</c> (a kernel function's name, or a binary's path) and an offset into it in <c>config2</c>. The
/// event is system-wide: pid -1, cpu 0, as a probe event is opened for every process (the programs attached to it run
/// on every CPU, whatever the event's CPU).
/// </summary>
internal static unsafe class PerfProbeEvent
{
    private const ulong PerfFlagFdCloexec = 1UL << 3; // PERF_FLAG_FD_CLOEXEC

    /// <summary>The PMU's type number from <c><paramref name="pmuDirectory"/>/type</c>.</summary>
    /// <exception cref="IOException">The PMU is not there (or its type cannot be read).</exception>
    /// <exception cref="FormatException">The file holds no number.</exception>
    internal static uint PmuType(string pmuDirectory) =>
        uint.Parse(File.ReadAllText(Path.Combine(pmuDirectory, "type")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Opens the event; returns its descriptor, or -1 with the errno in <paramref name="errorNumber"/>.</summary>
    internal static int TryOpen(uint pmuType, string target, ulong offset, out int errorNumber)
    {
        var attr = new PerfEventAttr { Type = pmuType, Size = (uint)sizeof(PerfEventAttr), Config2 = offset };
        byte[] name = Encoding.UTF8.GetBytes(target + "\0");
        long fd;
        fixed (byte* n = name)
        {
            attr.Config1 = BpfSyscall.Address(n);
            fd = EbpfLibc.PerfEventOpen(EbpfLibc.PerfEventOpenSyscallNumber, &attr, -1, 0, -1, PerfFlagFdCloexec);
        }
        errorNumber = fd < 0 ? BpfErrors.Last : 0;
        return fd < 0 ? -1 : (int)fd;
    }
}
