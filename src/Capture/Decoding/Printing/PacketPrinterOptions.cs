namespace Capture.Decoding;

/// <summary>How timestamps are printed (tcpdump's <c>-t</c> family).</summary>
public enum TimestampStyle
{
    /// <summary>Time of day, local time (default): <c>12:00:00.000001</c>.</summary>
    TimeOfDay,
    /// <summary>No timestamp (<c>-t</c>).</summary>
    None,
    /// <summary>Seconds since the epoch (<c>-tt</c>): <c>1700000000.000001</c>.</summary>
    Unix,
    /// <summary>Delta from the previous packet (<c>-ttt</c>).</summary>
    DeltaFromPrevious,
    /// <summary>Date and time of day (<c>-tttt</c>): <c>2023-11-14 22:13:20.000001</c>.</summary>
    DateAndTime,
    /// <summary>Delta from the first packet (<c>-ttttt</c>).</summary>
    DeltaFromFirst,
}

/// <summary>Options of <see cref="PacketPrinter"/>.</summary>
public sealed class PacketPrinterOptions
{
    /// <summary>Timestamp style.</summary>
    public TimestampStyle Timestamps { get; init; }
    /// <summary>Print nanoseconds instead of microseconds (tcpdump's <c>--nano</c>).</summary>
    public bool Nanoseconds { get; init; }
    /// <summary>Print less protocol information (tcpdump's <c>-q</c>).</summary>
    public bool Quiet { get; init; }
    /// <summary>Time zone for time-of-day stamps (default: the local zone, which honours TZ).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;
}
