using Wirecap.Decoding;

namespace Wirecap.Cli;

/// <summary>The options of the printed output (tcpdump's names).</summary>
internal sealed partial class CliOptions
{
    /// <summary>-e: print the link-level header on each line.</summary>
    public bool LinkLevelHeader { get; set; }
    /// <summary>Number of -x flags (1: hex dump after the link-level header; 2 or more: of the whole frame).</summary>
    public int HexFlags { get; set; }
    /// <summary>Number of -X flags: as -x, with ASCII beside the hex (-X wins over -x).</summary>
    public int HexAsciiFlags { get; set; }
    /// <summary>Number of -A flags: as -x, in ASCII only (-x and -X win over -A).</summary>
    public int AsciiFlags { get; set; }
    /// <summary>Number of -v flags (more detail, up to 3).</summary>
    public int Verbosity { get; set; }
    /// <summary>-S: absolute TCP sequence numbers.</summary>
    public bool AbsoluteSequenceNumbers { get; set; }
    /// <summary>-K: don't verify checksums.</summary>
    public bool NoChecksums { get; set; }
    /// <summary>-#: number the printed packets.</summary>
    public bool PacketNumbers { get; set; }
    /// <summary>-N: don't print the domain part of host names (we never print names; accepted).</summary>
    public bool NoDomains { get; set; }
    /// <summary>-l: line-buffered standard output, each printed line flushed.</summary>
    public bool LineBuffered { get; set; }

    /// <summary>The dump flag tcpdump honours when several are given: -X, then -x, then -A; its count.</summary>
    private (int Count, DumpFormat Format) Dump =>
        HexAsciiFlags > 0 ? (HexAsciiFlags, DumpFormat.HexAndAscii)
        : HexFlags > 0 ? (HexFlags, DumpFormat.Hex)
        : (AsciiFlags, DumpFormat.Ascii);

    /// <summary>The printer's settings for this command line.</summary>
    public PacketPrinterOptions PrinterOptions(TimeZoneInfo timeZone) => new()
    {
        Timestamps = TimestampStyle,
        Quiet = Quiet,
        Nanoseconds = Nanoseconds,
        TimeZone = timeZone,
        LinkLevelHeader = LinkLevelHeader,
        HexDump = Dump.Count switch { 0 => HexDumpStyle.None, 1 => HexDumpStyle.AfterLinkHeader, _ => HexDumpStyle.WholeFrame },
        DumpFormat = Dump.Format,
        Verbosity = Math.Min(Verbosity, 3),
        VerifyChecksums = !NoChecksums,
        AbsoluteTcpSequenceNumbers = AbsoluteSequenceNumbers,
        PacketNumbers = PacketNumbers,
    };

    /// <summary>Flush printed output after each packet: -l, or -U (tcpdump flushes either way).</summary>
    public bool FlushEachLine => LineBuffered || PacketBuffered;

    // A property, not a field: Table (in the other part of this class) reads it during static initialization.
    private static CliOption[] PrintTable =>
    [
        new("v", "verbose", null, "more detail: IP header fields, checksums, DNS names (-vv, -vvv: more still)", (o, _) => o.Verbosity++),
        new("e", null, null, "print the link-level header on each line", (o, _) => o.LinkLevelHeader = true),
        new("x", null, null, "print each packet in hex after its line (-xx: with its link-level header)", (o, _) => o.HexFlags++),
        new("X", null, null, "print each packet in hex and ASCII after its line (-XX: with its link-level header)", (o, _) => o.HexAsciiFlags++),
        new("A", null, null, "print each packet in ASCII after its line (-AA: with its link-level header; -X, then -x, win over -A, as in tcpdump)", (o, _) => o.AsciiFlags++),
        new("S", "absolute-tcp-sequence-numbers", null, "print absolute TCP sequence numbers, not relative ones", (o, _) => o.AbsoluteSequenceNumbers = true),
        new("K", "dont-verify-checksums", null, "don't verify IP, TCP and UDP checksums (under -v)", (o, _) => o.NoChecksums = true),
        new("#", "number", null, "print a packet number at the start of each line", (o, _) => o.PacketNumbers = true),
        new("N", null, null, "don't print domain names' qualification (names are never printed; accepted)", (o, _) => o.NoDomains = true),
        new("l", null, null, "line-buffered output: each line is written at once (for pipes)", (o, _) => o.LineBuffered = true),
    ];
}
