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

/// <summary>How the bytes <see cref="HexDumpStyle"/> selects are dumped (tcpdump's <c>-x</c>, <c>-X</c> and <c>-A</c>).</summary>
public enum DumpFormat
{
    /// <summary>Hex only (<c>-x</c>): <c>0x0000:  4500 0054 ...</c>.</summary>
    Hex,
    /// <summary>Hex and ASCII side by side (<c>-X</c>), non-graphic bytes as dots.</summary>
    HexAndAscii,
    /// <summary>ASCII only (<c>-A</c>): printable bytes, tabs, spaces and newlines as they are, others as dots.</summary>
    Ascii,
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
    /// <summary>Dump each packet after its line (tcpdump's <c>-x</c> and <c>-xx</c>, in the <see cref="DumpFormat"/>); in hex,
    /// the hex and ASCII dump otherwise printed for an undecoded payload is then left out, as tcpdump does.</summary>
    public HexDumpStyle HexDump { get; init; }
    /// <summary>How the dumped bytes are shown (<see cref="DumpFormat.Hex"/> by default).</summary>
    public DumpFormat DumpFormat { get; init; }
    /// <summary>How much detail to print, as tcpdump's <c>-v</c> count (0 to 3): 1 adds the IPv4 and IPv6 header
    /// fields, transport checksums, ARP's address types and the names of DNS answers; 2 the UDP checksum over IPv4,
    /// every DNS section and TCP's sequence number on each segment; 3 DNS TTLs.</summary>
    public int Verbosity { get; init; }
    /// <summary>Check and print IP, TCP and UDP checksums (ICMP ones are checked regardless, as tcpdump does) under <see cref="Verbosity"/> (default); false is
    /// tcpdump's <c>-K</c>.</summary>
    public bool VerifyChecksums { get; init; } = true;
    /// <summary>Print TCP sequence and acknowledgment numbers as they are on the wire (tcpdump's <c>-S</c>) instead of
    /// relative to the start of each connection.</summary>
    public bool AbsoluteTcpSequenceNumbers { get; init; }
    /// <summary>Start each line with the packet's number, from 1 (tcpdump's <c>-#</c>).</summary>
    public bool PacketNumbers { get; init; }
    /// <summary>Time zone for time-of-day stamps (default: the local zone, which honours TZ).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;
}
