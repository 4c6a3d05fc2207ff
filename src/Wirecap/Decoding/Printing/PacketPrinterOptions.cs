namespace Wirecap.Decoding;

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

/// <summary>Which bytes of each packet are dumped in hex after its line (tcpdump's <c>-x</c> family).</summary>
public enum HexDumpStyle
{
    /// <summary>No dump (default).</summary>
    None,
    /// <summary>The bytes after the link-level header (<c>-x</c>).</summary>
    AfterLinkHeader,
    /// <summary>The whole frame, link-level header included (<c>-xx</c>).</summary>
    WholeFrame,
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
    /// <summary>Print the link-level header (MAC addresses, EtherType, VLAN tags, cooked header) on each line (tcpdump's <c>-e</c>).</summary>
    public bool LinkLevelHeader { get; init; }
    /// <summary>Dump each packet in hex (without ASCII) after its line (tcpdump's <c>-x</c> and <c>-xx</c>); the hex and
    /// ASCII dump otherwise printed for an undecoded payload is then left out, as tcpdump does.</summary>
    public HexDumpStyle HexDump { get; init; }
    /// <summary>Time zone for time-of-day stamps (default: the local zone, which honours TZ).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;
}
