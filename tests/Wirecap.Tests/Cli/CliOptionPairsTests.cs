using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Wirecap.Cli;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Cli;

/// <summary>
/// Every option of the command line's own table (<see cref="CliOptions.Table"/>), alone and beside every other one,
/// run in-process on the shipped sample capture: each run either exits 0 with the effect of each option it was
/// given observable, or exits non-zero with a message on standard error that names one of the options given (or the
/// value of one). An option that changes nothing is silently ignored, which is a failure.
/// <para>An option is run with a sample value and, where it needs one, its context (-C with -w, -K with -v, -1 with an
/// NCAP -w file, ...); a run that reads nothing else reads the sample with -r. "Its effect observable" means the run
/// differs from the same command line without that option (the context kept), compared on what the command
/// leaves: the exit code, standard output, standard error, the files written (names and bytes) and what a loopback
/// receiver of the test got. By class of option that is:</para>
/// <list type="bullet">
/// <item>printing (-v, -e, -x, -X, -A, -S, -K, -#, -q, -t, --nano): the printed lines;</item>
/// <item>input and selection (-r, -c, -F, --bpf-file, -s with -w): the packets printed or written;</item>
/// <item>output (-w, --format, -G, -1, -2, --ncap-filter, --nano with -w): the files written;</item>
/// <item>senders (--send tcp:, --ncap-send): the stream or the datagrams the test's loopback receiver gets;</item>
/// <item>commands that print something and exit (--help, --version, -D, -L, --list-probes, -d, --make-sample): their output;</item>
/// <item>options whose effect this fixture cannot show are only required to be accepted where they apply and refused
/// elsewhere: no-ops kept for tcpdump (-n, -N), buffering (-l, -U), -O (another program, the same packets), -C and -W
/// (the sample is far below a million bytes), -G (it rotates by the clock, and reading the sample takes less than its
/// second); and a few leave the sample as it was beside one partner (<see cref="SameOnTheSample"/>);</item>
/// <item>live capture, kernel probes and servers (-i, --probe, --listen, the NATS options): the test has no traffic,
/// probe, server or certificate (the --tls-* files are not PEM), so a run must be refused, fail naming the resource (the interface wirecap-none0, the tracepoint,
/// the server at port 1), or, for --listen, listen until the test stops it; what they do is shown by their own tests
/// (LiveCliTests, CliSinkTests, the NATS tests).</item>
/// </list>
/// </summary>
public sealed class CliOptionPairsTests
{
    /// <summary>Options whose effect the fixture cannot show (see the class summary).</summary>
    private static readonly HashSet<string> Unobservable =
        ["n", "N", "l", "packet-buffered", "no-optimize", "C", "G", "W", "immediate", "immediate-mode"];

    /// <summary>Options that change nothing beside one partner, by tcpdump's precedence or on this sample: (option, partner, why).</summary>
    private static readonly (string Key, string Partner, string Why)[] SameOnTheSample =
    [
        ("r", "d", "-d compiles for the file's link type, and the sample's is Ethernet, -d's default"),
        ("nano", "w", "the sample's interfaces record nanoseconds, so a copy is in nanoseconds already"),
        ("time-stamp-precision", "w", "as --nano"),
        ("x", "X", "tcpdump's precedence, kept (PrinterFlagsTests): -X wins over -x"),
        ("A", "x", "-x wins over -A"),
        ("A", "X", "-X wins over -A"),
        ("count", "ncap-send", "the sample makes 10 NCAP messages (ncaptool converts no TCP), fewer than -c 15"),
        ("count", "ncap-filter", "as with --ncap-send"),
        ("count", "1", "as with --ncap-send"),
        ("count", "2", "as with --ncap-send"),
    ];

    /// <summary>Options that need a resource the test does not have: their runs end in a refusal or in its failure.</summary>
    private static readonly HashSet<string> Resource =
        ["interface", "probe", "listen", "replicas", "durable", "nats-creds", "nats-user", "nats-tls-ca", "nats-tls-cert",
         "nats-tls-key", "max-streams", "max-stream-bytes", "max-directory-bytes", "idle-timeout", "tls-cert", "tls-key", "tls-ca", "netns", "track", "raw-tracepoints", "datapath", "tc-attach",
         "no-promiscuous-mode", "direction", "buffer-size", "immediate", "immediate-mode"];

    /// <summary>Commands that read no capture file: no -r is added beside them.</summary>
    private static readonly HashSet<string> Standalone =
        ["help", "version", "make-sample", "list-interfaces", "list-data-link-types", "list-probes", "interface", "listen", "probe"];

    private static string Fixture = "";

    /// <summary>The sample value of each option (its key is the long name, else the short one).</summary>
    private static string[] Sample(string key, Run run) => key switch
    {
        "r" => ["-r", Repository.SamplePath],
        "w" => ["-w", run.Path("out.pcap")],
        "count" => ["-c", "15"],
        "format" => ["--format", "pcapng"],
        "F" => ["-F", Path.Combine(Fixture, "filter.txt")],
        "help" => ["--help"],
        "version" => ["--version"],
        "make-sample" => ["--make-sample", run.Path("made.pcapng")],
        "n" => ["-n"],
        "q" => ["-q"],
        "t" => ["-tt"],
        "nano" => ["--nano"],
        "time-stamp-precision" => ["--time-stamp-precision", "nano"],
        "verbose" => ["-v"],
        "number" => ["-#"],
        "absolute-tcp-sequence-numbers" => ["-S"],
        "dont-verify-checksums" => ["-K"],
        "interface" => ["-i", "wirecap-none0"],
        "list-interfaces" => ["-D"],
        "list-data-link-types" => ["-L"],
        "snapshot-length" => ["-s", "60"],
        "no-promiscuous-mode" => ["-p"],
        "direction" => ["-Q", "in"],
        "buffer-size" => ["-B", "1024"],
        "immediate-mode" => ["--immediate-mode"],
        "immediate" => ["--immediate"],
        "datapath" => ["--datapath", "tc"],
        "tc-attach" => ["--tc-attach", "clsact"],
        "linktype" => ["-y", "LINUX_SLL"],
        "no-optimize" => ["-O"],
        "d" => ["-d"],
        "bpf-file" => ["--bpf-file", Path.Combine(Fixture, "program.txt")],
        "ncap-send" => ["--ncap-send", $"127.0.0.1:{run.UdpPort}"],
        "send" => ["--send", $"tcp:127.0.0.1:{run.TcpPort}"],
        "listen" => ["--listen", $"udp:127.0.0.1:{run.FreePort}"],
        "max-streams" => ["--max-streams", "2"],
        "max-stream-bytes" => ["--max-stream-bytes", "1M"],
        "max-directory-bytes" => ["--max-directory-bytes", "2M"],
        "idle-timeout" => ["--idle-timeout", "5"],
        "tls-cert" => ["--tls-cert", Path.Combine(Fixture, "cert.pem")],
        "tls-key" => ["--tls-key", Path.Combine(Fixture, "key.pem")],
        "tls-ca" => ["--tls-ca", Path.Combine(Fixture, "ca.pem")],
        "ncap-filter" => ["--ncap-filter", "icmp"],
        "C" => ["-C", "1"],
        "G" => ["-G", "1"],
        "W" => ["-W", "2"],
        "packet-buffered" => ["-U"],
        "1" => ["-1", "7"],
        "2" => ["-2", "+0x100"],
        "replicas" => ["--replicas", "1"],
        "durable" => ["--durable", "pairs"],
        "nats-creds" => ["--nats-creds", Path.Combine(Fixture, "user.creds")],
        "nats-user" => ["--nats-user", "user:secret"],
        "nats-tls-ca" => ["--nats-tls-ca", Path.Combine(Fixture, "ca.pem")],
        "nats-tls-cert" => ["--nats-tls-cert", Path.Combine(Fixture, "cert.pem"), "--nats-tls-key", Path.Combine(Fixture, "key.pem")],
        "nats-tls-key" => ["--nats-tls-key", Path.Combine(Fixture, "key.pem"), "--nats-tls-cert", Path.Combine(Fixture, "cert.pem")],
        "probe" => ["--probe", "tp:wirecap:none"],
        "list-probes" => ["--list-probes"],
        "netns" => ["--netns", "wirecap-none"],
        "track" => ["--track"],
        "raw-tracepoints" => ["--raw-tracepoints"],
        _ => [ShortOrLong(key) is { } name ? name : throw new AssertionException($"option {key} has no sample value: add one")],
    };

    /// <summary>What an option needs beside it to have an effect at all: (key, arguments), the key naming the option
    /// the arguments give, so that a pair given the same option twice keeps the one under test.</summary>
    private static (string Key, string[] Args)[] Context(string key, Run run) => key switch
    {
        "dont-verify-checksums" => [("verbose", ["-v"])],
        "format" or "C" or "G" => [("w", ["-w", run.Path("context.pcap")])],
        "W" => [("w", ["-w", run.Path("context.pcap")]), ("G", ["-G", "1"])],
        "1" or "2" or "ncap-filter" => [("w", ["-w", run.Path("context.ncap")])],
        "no-optimize" => [("F", ["-F", Path.Combine(Fixture, "filter.txt")])],
        "linktype" => [("d", ["-d"])],
        "tc-attach" => [("datapath", ["--datapath", "tc"]), ("interface", ["-i", "wirecap-none0"])],
        "no-promiscuous-mode" or "direction" or "buffer-size" or "immediate" or "immediate-mode" or "datapath" => [("interface", ["-i", "wirecap-none0"])],
        "replicas" or "nats-creds" or "nats-user" or "nats-tls-ca" or "nats-tls-cert" or "nats-tls-key" => [("send", ["--send", "nats://127.0.0.1:1/pairs"])],
        "durable" => [("listen", ["--listen", "nats://127.0.0.1:1/pairs"])],
        "tls-cert" or "tls-key" or "tls-ca" => [("send", ["--send", "tcp:127.0.0.1:TCPPORT"])],
        "max-streams" or "max-stream-bytes" or "max-directory-bytes" or "idle-timeout" => [("listen", ["--listen", "tcp:127.0.0.1:FREEPORT"]), ("w", ["-w", run.Path("streams") + "/"])],
        "netns" or "track" or "raw-tracepoints" => [("probe", ["--probe", "tp:wirecap:none"])],
        _ => [],
    };

    private static string? ShortOrLong(string key) => CliOptions.Table.FirstOrDefault(o => (o.Long ?? o.Short) == key) is { } o
        && o.ValueName is null ? (o.Long is not null ? "--" + o.Long : "-" + o.Short) : null;

    private static string Key(CliOption option) => option.Long ?? option.Short!;

    [OneTimeSetUp]
    public void WriteFixture()
    {
        Fixture = Directory.CreateTempSubdirectory("wirecap-pairs-").FullName;
        File.WriteAllText(Path.Combine(Fixture, "filter.txt"), "tcp or udp\n");
        File.WriteAllText(Path.Combine(Fixture, "program.txt"), "tcp or ip6\n");
        foreach (var name in new[] { "user.creds", "ca.pem", "cert.pem", "key.pem" }) File.WriteAllText(Path.Combine(Fixture, name), "not a credential\n");
    }

    [OneTimeTearDown]
    public void RemoveFixture() => Directory.Delete(Fixture, recursive: true);

    [Test]
    public void EveryOptionAndEveryPairWorksOrIsRefused()
    {
        var keys = CliOptions.Table.Select(Key).Distinct().ToList();
        var cases = keys.Select(k => new[] { k })
            .Concat(keys.SelectMany((a, i) => keys.Skip(i + 1).Select(b => new[] { a, b }))).ToList();
        var outcomes = new ConcurrentDictionary<string, Lazy<Outcome>>();
        Outcome RunOnce((string Key, string[] Args)[] items) =>
            outcomes.GetOrAdd(Run.Normalize(string.Join('\u0001', items.SelectMany(i => i.Args))), _ => new Lazy<Outcome>(() => Execute(items))).Value;

        var failures = new ConcurrentBag<string>();
        var started = DateTime.UtcNow;
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, tested =>
        {
            var items = Items(tested);
            var outcome = RunOnce(items);
            string line = string.Join(' ', items.SelectMany(i => i.Args).Select(Run.Normalize));
            if (outcome.Hung)
            {
                failures.Add($"{line}: did not end within {Outcome.Limit.TotalSeconds} s");
                return;
            }
            if (outcome.ExitCode != 0)
            {
                if (!NamesAGivenOption(outcome.StdErr, items))
                    failures.Add($"{line}: exit {outcome.ExitCode} without a message naming an option given: '{outcome.StdErr.Trim()}'");
                return;
            }
            if (items.Any(i => Resource.Contains(i.Key)))
            {
                if (!items.Any(i => i.Key == "listen"))
                    failures.Add($"{line}: exit 0 although it needs a resource the test does not give");
                return; // listening until stopped: its partners' effects need traffic (CliSinkTests)
            }
            foreach (var key in tested.Where(k => !Unobservable.Contains(k) && !SameOnTheSample.Any(s => s.Key == k && items.Any(i => i.Key == s.Partner))))
            {
                var without = items.Where(i => i.Key != key).ToArray();
                if (without.Length == 0 ? outcome.IsEmpty : RunOnce(without).Fingerprint == outcome.Fingerprint)
                    failures.Add($"{line}: exit 0, and {string.Join(' ', items.First(i => i.Key == key).Args.Select(Run.Normalize))} changed nothing");
            }
        });
        TestContext.Progress.WriteLine($"{cases.Count} command lines ({keys.Count} options alone, the rest pairs), {outcomes.Count} runs, " +
            $"{(DateTime.UtcNow - started).TotalSeconds:F0} s; {failures.Count} failures");
        foreach (var failure in failures.Order(StringComparer.Ordinal)) TestContext.Progress.WriteLine("  " + failure);
        Assert.That(failures, Is.Empty);
    }

    /// <summary>The arguments of a command line testing <paramref name="tested"/>: each tested option's context, then
    /// the options themselves (a context never repeats an option given), and -r SAMPLE when nothing else is read.</summary>
    private static (string Key, string[] Args)[] Items(string[] tested)
    {
        // Paths and ports are per run; the arguments use placeholders the run fills (see Run).
        var items = new List<(string Key, string[] Args)>();
        foreach (var key in tested)
            foreach (var item in Context(key, Run.Placeholder))
                if (!tested.Contains(item.Key) && items.All(i => i.Key != item.Key)) items.Add(item);
        foreach (var key in tested) items.Add((key, Sample(key, Run.Placeholder)));
        if (items.All(i => i.Key != "r" && !Standalone.Contains(i.Key))) items.Insert(0, ("r", Sample("r", Run.Placeholder)));
        return [.. items];
    }

    /// <summary>True when <paramref name="stderr"/> names an option of the command line (-v, --nano) or quotes one of
    /// its values (an interface, a probe, a server).</summary>
    private static bool NamesAGivenOption(string stderr, (string Key, string[] Args)[] items)
    {
        foreach (var (key, args) in items)
        {
            var option = CliOptions.Table.First(o => Key(o) == key);
            foreach (var name in new[] { option.Short is null ? null : "-" + option.Short, option.Long is null ? null : "--" + option.Long })
                if (name is not null && Regex.IsMatch(stderr, $@"(?<![\w-]){Regex.Escape(name)}(?![\w-])")) return true;
            if (args.Skip(1).Any(value => value.Length > 2
                && stderr.Contains(Regex.Replace(value, "(UDP|TCP|FREE)PORT", "PORT").Replace("DIR/", ""), StringComparison.Ordinal)))
                return true;
        }
        return false;
    }

    private static Outcome Execute((string Key, string[] Args)[] items)
    {
        using var run = new Run();
        string[] args = [.. items.SelectMany(i => i.Args).Select(run.Fill)];
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();
        if (items.Any(i => i.Key == "listen")) stop.CancelAfter(TimeSpan.FromMilliseconds(300)); // a listener runs until stopped
        var task = CaptureCommand.RunAsync(args, () => new MemoryStream(), () => stdout, stderr, TimeZoneInfo.Utc, stop.Token);
        if (!task.Wait(Outcome.Limit)) return new Outcome(-1, "", "", "", true);
        string received = run.Received(task.Result == 0);
        byte[] printed = stdout.ToArray(); // the command has closed the stream
        var text = new StringBuilder();
        text.Append("exit ").Append(task.Result).Append("\nout ").Append(Hash(printed)).Append("\nerr ").Append(run.Unfill(stderr.ToString()));
        foreach (var file in Directory.EnumerateFiles(run.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            text.Append("\nfile ").Append(Path.GetRelativePath(run.Directory, file)).Append(' ').Append(Hash(File.ReadAllBytes(file)));
        text.Append("\nreceived ").Append(received);
        bool empty = printed.Length == 0 && stderr.ToString().Length == 0 && !Directory.EnumerateFiles(run.Directory, "*", SearchOption.AllDirectories).Any() && received.Length == 0;
        return new Outcome(task.Result, run.Unfill(stderr.ToString()), text.ToString(), received, false) { IsEmpty = empty };
    }

    private static string Hash(byte[] bytes) => bytes.Length == 0 ? "-" : Convert.ToHexString(SHA256.HashData(bytes))[..16];

    private sealed record Outcome(int ExitCode, string StdErr, string Fingerprint, string Received, bool Hung)
    {
        public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
        public bool IsEmpty { get; init; }
    }

    /// <summary>One run's directory and loopback receivers; arguments name them by placeholders (DIR, UDPPORT,
    /// TCPPORT, FREEPORT) so that equal command lines compare equal across runs.</summary>
    private sealed class Run : IDisposable
    {
        public static readonly Run Placeholder = new(placeholder: true);
        private readonly bool _placeholder;
        private UdpClient? _udp;
        private TcpListener? _tcp;
        private Task<byte[]>? _stream;
        private readonly ConcurrentQueue<byte[]> _datagrams = new();
        private readonly CancellationTokenSource _stop = new();

        public Run() : this(placeholder: false) { }

        private Run(bool placeholder)
        {
            _placeholder = placeholder;
            Directory = placeholder ? "DIR" : System.IO.Directory.CreateTempSubdirectory("wirecap-pair-").FullName;
        }

        public string Directory { get; }

        public string Path(string name) => $"{Directory}/{name}";

        public string UdpPort => "UDPPORT";
        public string TcpPort => "TCPPORT";
        public string FreePort => "FREEPORT";

        public static string Normalize(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"/tmp/wirecap-pair-[^/\s']+", "DIR");

        public string Fill(string arg)
        {
            arg = arg.Replace("DIR", Directory, StringComparison.Ordinal);
            if (arg.Contains("UDPPORT", StringComparison.Ordinal)) arg = arg.Replace("UDPPORT", StartUdp().ToString(), StringComparison.Ordinal);
            if (arg.Contains("TCPPORT", StringComparison.Ordinal)) arg = arg.Replace("TCPPORT", StartTcp().ToString(), StringComparison.Ordinal);
            if (arg.Contains("FREEPORT", StringComparison.Ordinal)) arg = arg.Replace("FREEPORT", UnusedPort().ToString(), StringComparison.Ordinal);
            return arg;
        }

        public string Unfill(string text)
        {
            text = text.Replace(Directory, "DIR", StringComparison.Ordinal);
            if (_udp is not null) text = text.Replace(((IPEndPoint)_udp.Client.LocalEndPoint!).Port.ToString(), "UDPPORT", StringComparison.Ordinal);
            if (_tcp is not null) text = text.Replace(((IPEndPoint)_tcp.LocalEndpoint).Port.ToString(), "TCPPORT", StringComparison.Ordinal);
            return Regex.Replace(text, @"127\.0\.0\.1:\d+", "127.0.0.1:PORT");
        }

        private int StartUdp()
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true) _datagrams.Enqueue((await _udp.ReceiveAsync(_stop.Token)).Buffer);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
            });
            return ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
        }

        private int StartTcp()
        {
            _tcp = new TcpListener(IPAddress.Loopback, 0);
            _tcp.Start();
            _stream = Task.Run(async () =>
            {
                try
                {
                    using var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
                    var bytes = new MemoryStream();
                    await client.GetStream().CopyToAsync(bytes, _stop.Token);
                    return bytes.ToArray();
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
                {
                    return [];
                }
            });
            return ((IPEndPoint)_tcp.LocalEndpoint).Port;
        }

        private static int UnusedPort()
        {
            using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        /// <summary>What the receivers got: the stream once the sender closed it, the datagrams once they stop coming.</summary>
        public string Received(bool succeeded)
        {
            var text = new StringBuilder();
            if (_stream is not null && succeeded && _stream.Wait(TimeSpan.FromSeconds(10)))
                text.Append("stream ").Append(Hash(_stream.Result));
            if (_udp is not null)
            {
                int count = -1;
                for (int quiet = 0; quiet < 3 && succeeded; quiet = _datagrams.Count == count ? quiet + 1 : 0)
                {
                    count = _datagrams.Count;
                    Thread.Sleep(50);
                }
                text.Append("datagrams ").Append(Hash([.. _datagrams.SelectMany(d => d)]));
            }
            return text.ToString();
        }

        public void Dispose()
        {
            if (_placeholder) return;
            _stop.Cancel();
            _udp?.Dispose();
            _tcp?.Stop();
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
            _stop.Dispose();
        }
    }
}
