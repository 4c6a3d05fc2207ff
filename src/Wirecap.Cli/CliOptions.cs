using Wirecap.Decoding;
using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>The parsed command line. Options follow tcpdump: short options may be grouped
/// (<c>-nr FILE</c>, <c>-tttt</c>), a value may be attached (<c>-c5</c>) or follow; long
/// options take <c>--name VALUE</c> or <c>--name=VALUE</c>; <c>--</c> ends the options; every
/// other word, wherever it stands, is part of the filter expression (joined with spaces).
/// To add an option, add a <see cref="CliOption"/> to <see cref="Table"/> and a property.</summary>
internal sealed partial class CliOptions
{
    /// <summary>-r FILE: read packets from a capture file ("-" = standard input).</summary>
    public string? ReadFile { get; set; }
    /// <summary>-w FILE: write packets to a capture file ("-" = standard output) instead of printing.</summary>
    public string? WriteFile { get; set; }
    /// <summary>-c COUNT: stop after COUNT packets.</summary>
    public long? Count { get; set; }
    /// <summary>-n: don't resolve addresses (we never do; accepted for tcpdump compatibility).</summary>
    public bool NoResolve { get; set; }
    /// <summary>-q: quick (quiet) output.</summary>
    public bool Quiet { get; set; }
    /// <summary>Number of -t flags (0 = time of day; 1 = none; 2 = Unix; 3 = delta; 4 = date; 5 = since first).</summary>
    public int TimestampFlags { get; set; }
    /// <summary>--nano / --time-stamp-precision=nano: print and write nanoseconds.</summary>
    public bool Nanoseconds { get; set; }
    /// <summary>--format pcap|pcapng|ncap: the format written by -w (default: from the file
    /// extension, else pcap as tcpdump writes).</summary>
    public CaptureFormat? WriteFormat { get; set; }
    /// <summary>--make-sample FILE (hidden): write the sample capture the repository ships.</summary>
    public string? MakeSample { get; set; }
    /// <summary>-h / --help.</summary>
    public bool Help { get; set; }
    /// <summary>--version.</summary>
    public bool Version { get; set; }
    /// <summary>The filter expression words, in order.</summary>
    public List<string> ExpressionWords { get; } = [];

    /// <summary>The filter expression (words joined with spaces), or null when there is none.</summary>
    public string? Expression => ExpressionWords.Count == 0 ? null : string.Join(' ', ExpressionWords);

    /// <summary>The printer's timestamp style from the -t count.</summary>
    public TimestampStyle TimestampStyle => TimestampFlags switch
    {
        0 => TimestampStyle.TimeOfDay,
        1 => TimestampStyle.None,
        2 => TimestampStyle.Unix,
        3 => TimestampStyle.DeltaFromPrevious,
        4 => TimestampStyle.DateAndTime,
        _ => TimestampStyle.DeltaFromFirst,
    };

    /// <summary>Every option the command knows. Short names are single characters; long names are
    /// written without the dashes.</summary>
    public static readonly List<CliOption> Table =
    [
        new("r", null, "FILE", "read packets from FILE (- for standard input)", (o, v) => o.ReadFile = v),
        new("w", null, "FILE", "write packets to FILE (- for standard output) instead of printing them", (o, v) => o.WriteFile = v),
        new("c", null, "COUNT", "exit after COUNT packets", (o, v) => o.Count = ParseCount(v)),
        new("n", null, null, "don't convert addresses to names (never done; accepted)", (o, _) => o.NoResolve = true),
        new("q", null, null, "quick output: less protocol information", (o, _) => o.Quiet = true),
        new("t", null, null, "-t none, -tt seconds, -ttt delta, -tttt date, -ttttt since first", (o, _) => o.TimestampFlags++),
        new(null, "format", "FORMAT", "format written by -w: pcap, pcapng or ncap (default: from the extension)", (o, v) => o.WriteFormat = ParseFormat(v)),
        new(null, "nano", null, "nanosecond timestamps (printing and pcap output)", (o, _) => o.Nanoseconds = true),
        new(null, "time-stamp-precision", "micro|nano", "timestamp precision, as --nano", (o, v) => o.Nanoseconds = ParsePrecision(v)),
        new("h", "help", null, "print this help", (o, _) => o.Help = true),
        new(null, "version", null, "print the version", (o, _) => o.Version = true),
        new(null, "make-sample", "FILE", null, (o, v) => o.MakeSample = v),
        .. LiveTable,
        .. BpfTable,
        .. SinkTable,
        .. FilterTable,
        .. PrintTable,
        .. ProbeTable,
    ];

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="CliUsageException">An unknown option, a missing or bad value.</exception>
    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                options.ExpressionWords.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                int equals = arg.IndexOf('=');
                string name = equals < 0 ? arg[2..] : arg[2..equals];
                var option = Table.FirstOrDefault(o => o.Long == name) ?? throw new CliUsageException($"unknown option '--{name}'");
                string? value = null;
                if (option.ValueName is not null)
                {
                    if (equals >= 0) value = arg[(equals + 1)..];
                    else if (i + 1 < args.Count) value = args[++i];
                    else throw new CliUsageException($"option '--{name}' needs a value ({option.ValueName})");
                }
                else if (equals >= 0) throw new CliUsageException($"option '--{name}' takes no value");
                option.Apply(options, value ?? "");
                continue;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                for (int c = 1; c < arg.Length; c++)
                {
                    string name = arg[c].ToString();
                    var option = Table.FirstOrDefault(o => o.Short == name) ?? throw new CliUsageException($"unknown option '-{name}'");
                    if (option.ValueName is null)
                    {
                        option.Apply(options, "");
                        continue;
                    }
                    string value;
                    if (c + 1 < arg.Length) value = arg[(c + 1)..];
                    else if (i + 1 < args.Count) value = args[++i];
                    else throw new CliUsageException($"option '-{name}' needs a value ({option.ValueName})");
                    option.Apply(options, value);
                    break;
                }
                continue;
            }
            options.ExpressionWords.Add(arg);
        }
        return options;
    }

    /// <summary>The usage text (options with a description only; hidden ones are left out).</summary>
    public static string Usage()
    {
        var text = new System.Text.StringBuilder();
        text.Append("usage: wirecap -r FILE [-w FILE] [-c COUNT] [-n] [-q] [-t...] [--format pcap|pcapng|ncap] [expression]\n");
        foreach (var option in Table.Where(o => o.Description is not null))
        {
            string names = string.Join(", ", new[] { option.Short is null ? null : "-" + option.Short, option.Long is null ? null : "--" + option.Long }.Where(n => n is not null));
            if (option.ValueName is not null) names += " " + option.ValueName;
            text.Append("  ").Append(names.PadRight(34)).Append(option.Description).Append('\n');
        }
        text.Append("NCAP output (-w FILE.ncap, --format ncap, -1/-2, --ncap-send) runs through the NCAP engine: IP fragments are\n")
            .Append("reassembled, the expression is matched against each message's IP packet after reassembly, -c counts messages.\n");
        return text.ToString();
    }

    private static long ParseCount(string value) =>
        long.TryParse(value, out long count) && count > 0 ? count : throw new CliUsageException($"invalid packet count '{value}'");

    private static CaptureFormat ParseFormat(string value) => value.ToLowerInvariant() switch
    {
        "pcap" => CaptureFormat.Pcap,
        "pcapng" => CaptureFormat.PcapNg,
        "ncap" => CaptureFormat.Ncap,
        _ => throw new CliUsageException($"unknown format '{value}' (pcap, pcapng or ncap)"),
    };

    private static bool ParsePrecision(string value) => value switch
    {
        "micro" => false,
        "nano" => true,
        _ => throw new CliUsageException($"unknown time stamp precision '{value}' (micro or nano)"),
    };
}

/// <summary>One option: its short name (one character) and/or long name, the name of its value
/// (null for a flag), a description for the usage (null hides it), and what it does.</summary>
internal sealed record CliOption(string? Short, string? Long, string? ValueName, string? Description, Action<CliOptions, string> Apply);
