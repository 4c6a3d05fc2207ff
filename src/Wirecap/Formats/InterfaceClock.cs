namespace Wirecap.Formats;

/// <summary>
/// Turns a pcapng interface's timestamp units into nanoseconds since the epoch. The common
/// resolutions (10^-n seconds, n ≤ 9, no offset) take a single multiplication.
/// </summary>
internal readonly struct InterfaceClock
{
    private readonly byte _resolution;
    private readonly long _offsetSeconds;
    private readonly long _multiplier;   // nanoseconds per unit, or 0 when the general path is needed

    public InterfaceClock(byte resolution, long offsetSeconds)
    {
        _resolution = resolution;
        _offsetSeconds = offsetSeconds;
        _multiplier = 0;
        if (resolution <= 9 && offsetSeconds == 0)
        {
            _multiplier = 1;
            for (int i = resolution; i < 9; i++) _multiplier *= 10;
        }
    }

    public bool TryToNanoseconds(ulong units, out long nanoseconds)
    {
        if (_multiplier != 0 && units <= (ulong)(long.MaxValue / _multiplier))
        {
            nanoseconds = (long)units * _multiplier;
            return true;
        }
        return Timestamps.TryUnitsToNanoseconds(units, _resolution, _offsetSeconds, out nanoseconds);
    }
}
