using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>Refuses an option the rest of the command line would leave without effect, so that nothing given is
/// silently ignored (tcpdump ignores, for example, -p with -r or -e with -w; we say so and exit 2). The rules are by
/// what an option acts on: printed lines, live capture, a filter expression, an output file, one of the senders or
/// listeners, a kernel probe; and the commands that print something of their own and exit (--help, --version, -D,
/// -L, --list-probes, -d) take only the options they use. CliOptionPairsTests runs every pair of options against
/// these rules.</summary>
internal static class CliCombinations
{
    /// <summary>Options that shape printed lines.</summary>
    private static readonly HashSet<string> Printing =
        ["verbose", "e", "x", "X", "A", "absolute-tcp-sequence-numbers", "dont-verify-checksums", "number", "q", "t", "l"];

    /// <summary>Options of live capture on an interface.</summary>
    private static readonly HashSet<string> Live =
        ["no-promiscuous-mode", "direction", "buffer-size", "immediate-mode", "immediate", "datapath", "tc-attach"];

    /// <summary>The commands that print something of their own and exit, with the options each one uses.</summary>
    private static readonly (string Key, string[] Takes, string What)[] Exclusive =
    [
        ("help", [], "prints the usage"),
        ("version", [], "prints the version"),
        ("make-sample", [], "writes the sample capture"),
        ("list-interfaces", [], "lists the interfaces"),
        ("list-probes", [], "lists the probes"),
        ("list-data-link-types", ["interface"], "lists the link types of -i IFACE"),
        ("d", ["r", "interface", "linktype", "no-optimize", "F", "bpf-file", "snapshot-length"], "prints the filter program"),
    ];

    /// <exception cref="CliUsageException">An option given where it has no effect, naming it.</exception>
    public static void Check(CliOptions options)
    {
        var keys = options.Given.Select(g => Key(g.Option)).ToHashSet();
        foreach (var (key, takes, what) in Exclusive)
        {
            if (!keys.Contains(key)) continue;
            var other = options.Given.FirstOrDefault(g => Key(g.Option) != key && !takes.Contains(Key(g.Option)));
            if (other.Option is not null)
                throw new CliUsageException($"{NameOf(options, key)} {what} and exits; {other.Name} does not apply to it");
            if (key is not ("d" or "list-data-link-types") && options.ExpressionWords.Count > 0)
                throw new CliUsageException($"{NameOf(options, key)} {what} and exits; it takes no filter expression");
            break;
        }
        foreach (var (option, name) in options.Given)
        {
            if (Refusal(Key(option), options) is { } why)
                throw new CliUsageException($"{name} {why}");
        }
    }

    private static string? Refusal(string key, CliOptions o)
    {
        bool live = o.Interface is not null || o.Probes.Count > 0 || o.Listen is { Protocol: "zephyr" };
        bool sends = o.TcpSend is not null || o.NatsSend is not null || o.NcapSend is not null;
        bool writes = o.WriteFile is not null || sends || o.Listen is { Protocol: "tcp" };
        bool hasFilter = o.ExpressionWords.Count > 0 || o.ExpressionFile is not null || o.BpfFile is not null;
        if (Printing.Contains(key))
        {
            if (writes) return $"shapes printed packets; {WhatWrites(o)} writes them instead";
            return key switch
            {
                "dont-verify-checksums" when o.Verbosity == 0 => "turns off the checksums -v prints; give -v",
                "absolute-tcp-sequence-numbers" when o.Quiet => "changes the sequence numbers -q leaves out",
                _ => null,
            };
        }
        if (Live.Contains(key) && o.Interface is null) return "applies to live capture: give -i IFACE";
        return key switch
        {
            "tc-attach" when o.Datapath != LiveDatapath.Tc => "applies to --datapath tc",
            "nano" or "time-stamp-precision" when !writes && !live && o.TimestampFlags == 1 => "sets the precision of timestamps, and -t prints none",
            "nano" or "time-stamp-precision" when sends || WritesNcap(o) =>
                $"sets the precision of printed timestamps and of pcap files; {(WritesNcap(o) ? "NCAP output" : WhatWrites(o))} keeps the capture's",
            "nano" when Gives(o, "time-stamp-precision") => "and --time-stamp-precision both set the precision: give one",
            "snapshot-length" when !live && (o.WriteFile is null || WritesNcap(o)) =>
                "cuts packets captured live (-i, --probe) or copied to a pcap or pcapng file (-w); a file that is read keeps its bytes",
            "linktype" when !(o.Listen is { Protocol: "zephyr" } || (o.DumpLevel > 0 && o.ReadFile is null)) =>
                "sets the link type where no capture gives one (-d without -r, --listen zephyr)",
            "no-optimize" when !hasFilter => "applies to a filter expression, and none is given",
            "format" when o.WriteFile is null => "sets the format -w writes: give -w FILE",
            "w" when sends => $"writes the packets, and {WhatWrites(o)} sends them: give one",
            "replicas" when o.NatsSend is null => "applies to --send nats://",
            "durable" when o.NatsListen is null => "applies to --listen nats://",
            "nats-creds" or "nats-user" or "nats-tls-ca" or "nats-tls-cert" or "nats-tls-key" when o.NatsSend is null && o.NatsListen is null =>
                "applies to --send nats:// and --listen nats://",
            "max-streams" or "max-stream-bytes" or "max-directory-bytes" when o.Listen is not { Protocol: "tcp" } => "applies to --listen tcp",
            "netns" or "track" or "raw-tracepoints" when o.Probes.Count == 0 => "applies to --probe",
            _ => null,
        };
    }

    private static bool Gives(CliOptions o, string key) => o.Given.Any(g => Key(g.Option) == key);

    private static bool WritesNcap(CliOptions o) =>
        o.WriteFile is { } path && (o.WriteFormat ?? CaptureCommand.FormatFromExtension(path)) == CaptureFormat.Ncap;

    private static string WhatWrites(CliOptions o) =>
        o.TcpSend is not null || o.NatsSend is not null ? "--send" : o.NcapSend is not null ? "--ncap-send" : o.Listen is not null ? "--listen tcp" : "-w";

    private static string Key(CliOption option) => option.Long ?? option.Short!;

    private static string NameOf(CliOptions options, string key) => options.Given.First(g => Key(g.Option) == key).Name;
}
