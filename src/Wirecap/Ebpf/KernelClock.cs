using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary>
/// Converts <c>bpf_ktime_get_ns</c> timestamps (CLOCK_MONOTONIC nanoseconds) to wall-clock time, with the offset
/// between CLOCK_REALTIME and CLOCK_MONOTONIC measured when the converter is made (taking the tightest of a few
/// readings). A later wall-clock step (NTP, settimeofday) is not followed; make a new converter to pick it up.
/// </summary>
public sealed unsafe class KernelClock
{
    private KernelClock(long offsetNs) => RealtimeMinusMonotonicNs = offsetNs;

    /// <summary>CLOCK_REALTIME − CLOCK_MONOTONIC at creation, in nanoseconds.</summary>
    public long RealtimeMinusMonotonicNs { get; }

    /// <summary>Measures the offset now.</summary>
    public static KernelClock Measure()
    {
        long best = long.MaxValue, offset = 0;
        for (int i = 0; i < 5; i++)
        {
            long m1 = Now(EbpfLibc.ClockMonotonic);
            long r = Now(EbpfLibc.ClockRealtime);
            long m2 = Now(EbpfLibc.ClockMonotonic);
            if (m2 - m1 < best)
            {
                best = m2 - m1;
                offset = r - (m1 + (m2 - m1) / 2);
            }
        }
        return new KernelClock(offset);
    }

    /// <summary>CLOCK_MONOTONIC now, in nanoseconds (the clock <c>bpf_ktime_get_ns</c> reads).</summary>
    public static long MonotonicNow => Now(EbpfLibc.ClockMonotonic);

    /// <summary>Nanoseconds since the Unix epoch for a <c>bpf_ktime_get_ns</c> value.</summary>
    public long ToUnixNanoseconds(ulong monotonicNs) => (long)monotonicNs + RealtimeMinusMonotonicNs;

    /// <summary>The wall-clock time (UTC) of a <c>bpf_ktime_get_ns</c> value, to the 100 ns tick.</summary>
    public DateTimeOffset ToWallTime(ulong monotonicNs) =>
        DateTimeOffset.UnixEpoch.AddTicks(ToUnixNanoseconds(monotonicNs) / 100);

    private static long Now(int clock)
    {
        EbpfLibc.TimeSpec t;
        if (EbpfLibc.ClockGetTime(clock, &t) != 0) throw BpfErrors.ToException("clock_gettime", BpfErrors.Last, $"clock {clock}");
        return t.Seconds * 1_000_000_000L + t.Nanoseconds;
    }
}
