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
    /// <summary>What else ends a capture or listener besides the stop signals (not an option: the in-process caller's token).</summary>
    public CancellationToken Cancellation { get; set; }
    /// <summary>The filter expression words, in order.</summary>
    public List<string> ExpressionWords { get; } = [];

    /// <summary>The options given, in order, each with its name as written (<c>-v</c>, <c>--count</c>).</summary>
    public List<(CliOption Option, string Name)> Given { get; } = [];

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

    // The core options: what is read, what is written, how much.
    private static CliOption[] CoreTable =>
    [
        new("r", null, "FILE", "read packets from FILE (- for standard input)", (o, v) => o.ReadFile = v),
        new("w", null, "FILE", "write packets to FILE (- for standard output) instead of printing them", (o, v) => o.WriteFile = v),
        new("c", "count", "COUNT", "exit after COUNT packets", (o, v) => o.Count = ParseCount(v)),
        new(null, "format", "FORMAT", "format written by -w: pcap, pcapng or ncap (default: from the extension)", (o, v) => o.WriteFormat = ParseFormat(v)),
        new("F", null, "FILE", "read the filter expression from FILE (# starts a comment), as tcpdump -F", (o, v) => o.ExpressionFile = v),
        new("h", "help", null, "print this help", (o, _) => o.Help = true),
        new(null, "version", null, "print the version and the filter engine in use", (o, _) => o.Version = true),
        new(null, "make-sample", "FILE", null, (o, v) => o.MakeSample = v),
    ];

    // How packets are printed: tcpdump's flags.
    private static CliOption[] CoreTimeTable =>
    [
        new("n", null, null, "don't convert addresses to names (never done; accepted)", (o, _) => o.NoResolve = true),
        new("q", null, null, "quick output: less protocol information", (o, _) => o.Quiet = true),
        new("t", null, null, "-t none, -tt seconds, -ttt delta, -tttt date, -ttttt since first", (o, _) => o.TimestampFlags++),
        new(null, "nano", null, "nanosecond timestamps (printing and pcap output)", (o, _) => o.Nanoseconds = true),
        new(null, "time-stamp-precision", "micro|nano", "timestamp precision, as --nano", (o, v) => o.Nanoseconds = ParsePrecision(v)),
    ];

    /// <summary>The options in the groups --help shows them in.</summary>
    public static readonly (string Title, CliOption[] Options)[] Groups =
    [
        ("Input and output", CoreTable),
        ("Printing", [.. CoreTimeTable, .. PrintTable]),
        ("Live capture", LiveTable),
        ("Filter", [.. FilterTable, .. BpfTable]),
        ("Rotation, remote export and NCAP", SinkTable),
        ("TLS for the pcapng stream (--send tcp, --listen tcp)", TlsTable),
        ("NATS JetStream", NatsTable),
        ("Kernel probes", ProbeTable),
    ];

    /// <summary>Every option the command knows. Short names are single characters; long names are
    /// written without the dashes.</summary>
    public static readonly List<CliOption> Table = [.. Groups.SelectMany(g => g.Options)];

    /// <summary>-F FILE: the file the filter expression is read from.</summary>
    public string? ExpressionFile { get; set; }

    /// <summary>Reads the -F file into the expression (tcpdump's <c>read_infile</c>: '#' comments to the end of a line
    /// are blanked). tcpdump ignores an expression given on the command line beside -F; we refuse it.</summary>
    /// <exception cref="CliUsageException">-F and command-line expression words together.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public void LoadExpressionFile()
    {
        if (ExpressionFile is null) return;
        if (ExpressionWords.Count > 0)
            throw new CliUsageException($"-F {ExpressionFile} gives the filter expression; remove the one on the command line ('{Expression}')");
        string text;
        try
        {
            text = File.ReadAllText(ExpressionFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"can't open {ExpressionFile}: {e.Message}", e);
        }
        var lines = text.Split('\n').Select(line => line.IndexOf('#') is var hash and >= 0 ? line[..hash] : line);
        string expression = string.Join(' ', lines.Select(line => line.Trim()).Where(line => line.Length > 0));
        if (expression.Length > 0) ExpressionWords.Add(expression);
    }

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
                var option = Table.FirstOrDefault(o => o.Long == name) ?? throw new CliUnknownOptionException($"unknown option '--{name}'");
                string? value = null;
                if (option.ValueName is not null)
                {
                    if (equals >= 0) value = arg[(equals + 1)..];
                    else if (i + 1 < args.Count) value = args[++i];
                    else throw new CliUsageException($"option '--{name}' needs a value ({option.ValueName})");
                }
                else if (equals >= 0) throw new CliUsageException($"option '--{name}' takes no value");
                option.Apply(options, value ?? "");
                options.Given.Add((option, "--" + name));
                continue;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                for (int c = 1; c < arg.Length; c++)
                {
                    string name = arg[c].ToString();
                    var option = Table.FirstOrDefault(o => o.Short == name) ?? throw new CliUnknownOptionException($"unknown option '-{name}'");
                    options.Given.Add((option, "-" + name));
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

    /// <summary>The usage text of --help: every option with a description (hidden ones are left out), by group.</summary>
    public static string Usage()
    {
        var text = new System.Text.StringBuilder();
        text.Append("usage: wirecap [options] [expression]   (-r FILE to read a capture, -i IFACE to capture live)\n");
        foreach (var (title, group) in Groups)
        {
            text.Append('\n').Append(title).Append(":\n");
            foreach (var option in group.Where(o => o.Description is not null))
            {
                string names = string.Join(", ", new[] { option.Short is null ? null : "-" + option.Short, option.Long is null ? null : "--" + option.Long }.Where(n => n is not null));
                if (option.ValueName is not null) names += " " + option.ValueName;
                text.Append("  ").Append(names.PadRight(34)).Append(option.Description).Append('\n');
            }
        }
        text.Append("\nNCAP output (-w FILE.ncap, --format ncap, -1/-2, --ncap-send) runs through the NCAP engine: IP fragments are\n")
            .Append("reassembled, the expression is matched against each message's IP packet after reassembly, -c counts messages.\n");
        return text.ToString();
    }

    /// <summary>The short usage an unknown option prints, in tcpdump's shape: the flags in one bracket, then each option
    /// that takes a value.</summary>
    public static string ShortUsage()
    {
        var visible = Table.Where(o => o.Description is not null && !o.Detail).ToList();
        string flags = string.Concat(visible.Where(o => o.Short is not null && o.ValueName is null).Select(o => o.Short![0])
            .OrderBy(c => char.IsLetter(c) ? char.ToLowerInvariant(c) : '~').ThenBy(c => char.IsUpper(c)));
        var items = visible.Where(o => o.ValueName is not null || o.Short is null)
            .Select(o => o.Short is not null ? $"[ -{o.Short} {o.ValueName} ]" : $"[ --{o.Long}{(o.ValueName is null ? "" : " " + o.ValueName)} ]")
            .Prepend($"[-{flags}]").Append("[ expression ]");
        var text = new System.Text.StringBuilder("Usage: wirecap");
        int column = text.Length;
        foreach (string item in items)
        {
            if (column + 1 + item.Length > 100)
            {
                text.Append("\n\t\t");
                column = 16;
            }
            else
            {
                text.Append(' ');
                column++;
            }
            text.Append(item);
            column += item.Length;
        }
        return text.Append("\nwirecap --help lists every option, grouped.\n").ToString();
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
/// <param name="Detail">Listed by --help but left out of the short usage: a refinement of an option that is there
/// (limits, credentials), so the usage stays the few lines tcpdump's is.</param>
internal sealed record CliOption(string? Short, string? Long, string? ValueName, string? Description, Action<CliOptions, string> Apply, bool Detail = false);
