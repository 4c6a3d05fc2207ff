using System.Runtime.InteropServices;

namespace Wirecap.Ebpf.Interop;

/// <summary>
/// The start of <c>struct perf_event_attr</c> (<c>uapi/linux/perf_event.h</c>) up to <c>config2</c>, the size the kernel
/// calls <c>PERF_ATTR_SIZE_VER1</c>: every kernel with a kprobe PMU (4.17) takes it and zero-fills the fields after it.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 72)]
internal struct PerfEventAttr
{
    /// <summary>The PMU's type number (for kprobes, read from <c>/sys/bus/event_source/devices/kprobe/type</c>).</summary>
    [FieldOffset(0)] public uint Type;
    [FieldOffset(4)] public uint Size;
    /// <summary>For the kprobe PMU, bit 0 makes it a kretprobe.</summary>
    [FieldOffset(8)] public ulong Config;
    [FieldOffset(16)] public ulong SamplePeriod;
    [FieldOffset(24)] public ulong SampleType;
    [FieldOffset(32)] public ulong ReadFormat;
    /// <summary>The bitfield word (<c>disabled</c> is bit 0: left clear, the event counts from the start).</summary>
    [FieldOffset(40)] public ulong Flags;
    [FieldOffset(48)] public uint WakeupEvents;
    [FieldOffset(52)] public uint BreakpointType;
    /// <summary><c>kprobe_func</c>: the address of the function's NUL-terminated name.</summary>
    [FieldOffset(56)] public ulong Config1;
    /// <summary><c>probe_offset</c>: bytes into the function (0: its entry).</summary>
    [FieldOffset(64)] public ulong Config2;
}
