using Wirecap.Decoding;

namespace Wirecap.Cli;

/// <summary>The options of the printed output (tcpdump's names).</summary>
internal sealed partial class CliOptions
{
    /// <summary>-e: print the link-level header on each line.</summary>
    public bool LinkLevelHeader { get; set; }
    /// <summary>Number of -x flags (1: hex dump after the link-level header; 2 or more: of the whole frame).</summary>
    public int HexFlags { get; set; }

    /// <summary>The printer's settings for this command line.</summary>
    public PacketPrinterOptions PrinterOptions(TimeZoneInfo timeZone) => new()
    {
        Timestamps = TimestampStyle,
        Quiet = Quiet,
        Nanoseconds = Nanoseconds,
        TimeZone = timeZone,
        LinkLevelHeader = LinkLevelHeader,
        HexDump = HexFlags switch { 0 => HexDumpStyle.None, 1 => HexDumpStyle.AfterLinkHeader, _ => HexDumpStyle.WholeFrame },
    };

    // A property, not a field: Table (in the other part of this class) reads it during static initialization.
    private static CliOption[] PrintTable =>
    [
        new("e", null, null, "print the link-level header on each line", (o, _) => o.LinkLevelHeader = true),
        new("x", null, null, "print each packet in hex after its line (-xx: with its link-level header)", (o, _) => o.HexFlags++),
    ];
}
