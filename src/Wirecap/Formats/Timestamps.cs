namespace Wirecap.Formats;

/// <summary>Conversions between the timestamp units of the formats and nanoseconds since the Unix epoch.</summary>
internal static class Timestamps
{
    public const long NanosPerSecond = 1_000_000_000;

    public static DateTimeOffset ToDateTimeOffset(long nanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);

    /// <summary>
    /// Converts a count of pcapng units (if_tsresol) plus an offset in seconds to nanoseconds.
    /// Returns false when the result does not fit in a signed 64-bit count of nanoseconds.
    /// </summary>
    public static bool TryUnitsToNanoseconds(ulong units, byte tsresol, long offsetSeconds, out long nanoseconds)
    {
        Int128 ns;
        if ((tsresol & 0x80) == 0)
        {
            int exponent = tsresol;
            if (exponent <= 9) ns = (Int128)units * Pow10(9 - exponent);
            else if (exponent - 9 > 30) ns = 0;
            else ns = (Int128)units / Pow10(exponent - 9);
        }
        else
        {
            int shift = tsresol & 0x7f;
            // units / 2^shift seconds; shift up to 127 keeps the product inside Int128.
            UInt128 product = (UInt128)units * NanosPerSecond;
            ns = shift >= 128 ? 0 : (Int128)(product >> shift);
        }
        ns += (Int128)offsetSeconds * NanosPerSecond;
        if (ns > long.MaxValue || ns < long.MinValue)
        {
            nanoseconds = 0;
            return false;
        }
        nanoseconds = (long)ns;
        return true;
    }

    /// <summary>Converts nanoseconds to pcapng units for an interface's if_tsresol and if_tsoffset (truncating).</summary>
    public static ulong NanosecondsToUnits(long nanoseconds, byte tsresol, long offsetSeconds)
    {
        Int128 ns = (Int128)nanoseconds - (Int128)offsetSeconds * NanosPerSecond;
        if (ns < 0) ns = 0;
        Int128 units;
        if ((tsresol & 0x80) == 0)
        {
            int exponent = tsresol;
            units = exponent <= 9 ? ns / Pow10(9 - exponent) : ns * Pow10(Math.Min(exponent - 9, 19));
        }
        else
        {
            int shift = tsresol & 0x7f;
            units = (Int128)(((UInt128)ns << Math.Min(shift, 63)) / NanosPerSecond);
        }
        return units > ulong.MaxValue ? ulong.MaxValue : (ulong)units;
    }

    private static Int128 Pow10(int exponent)
    {
        Int128 result = 1;
        for (int i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
