using System.Globalization;
using Wirecap.Ncap;

namespace Wirecap.Cli;

/// <summary>The options for where a capture goes: remote export and collection, file rotation,
/// packet-buffered output and NCAP user-field stamping (tcpdump's and ncaptool's names).</summary>
internal sealed partial class CliOptions
{
    /// <summary>--ncap-send HOST:PORT: send the packets read with -r as NCAP datagrams.</summary>
    public (string Host, int Port)? NcapSend { get; set; }
    /// <summary>The ,RATE of --ncap-send: most messages per second.</summary>
    public double? NcapSendRate { get; set; }
    /// <summary>--send tcp:HOST:PORT: stream the packets read with -r as pcapng over TCP.</summary>
    public (string Host, int Port)? TcpSend { get; set; }
    /// <summary>--listen udp:|tcp:|zephyr:[ADDR:]PORT: receive NCAP datagrams, pcap/pcapng streams or Zephyr's captured frames.</summary>
    public ListenTarget? Listen { get; set; }
    /// <summary>--max-streams N: most streams --listen tcp receives at once.</summary>
    public int? MaxStreams { get; set; }
    /// <summary>--max-stream-bytes SIZE: most bytes one collected stream's file may hold.</summary>
    public long? MaxStreamBytes { get; set; }
    /// <summary>--max-directory-bytes SIZE: most bytes the collector's directory may hold.</summary>
    public long? MaxDirectoryBytes { get; set; }
    /// <summary>--idle-timeout SECONDS: cut a collected stream on which nothing arrived for that long.</summary>
    public int? IdleTimeoutSeconds { get; set; }
    /// <summary>-C SIZE: rotate -w files once larger than SIZE million bytes.</summary>
    public long? RotateMillionBytes { get; set; }
    /// <summary>-G SECONDS: rotate -w files every SECONDS (the name is a strftime pattern).</summary>
    public int? RotateSeconds { get; set; }
    /// <summary>-W COUNT: with -C a ring of COUNT files; with -G stop after COUNT files.</summary>
    public int? RotateCount { get; set; }
    /// <summary>-U: packet-buffered output, each packet flushed as it is written.</summary>
    public bool PacketBuffered { get; set; }
    /// <summary>-1 [+|-]VALUE: stamp user1 of NCAP output.</summary>
    public NcapUserStamp? User1 { get; set; }
    /// <summary>-2 [+|-]VALUE: stamp user2 of NCAP output.</summary>
    public NcapUserStamp? User2 { get; set; }

    /// <summary>--ncap-filter SPEC: ncaptool's filter (<c>dns rcode=nxdomain icmp type=unreach</c>) on NCAP output.</summary>
    public NcapFilter? NcapFilter { get; set; }

    /// <summary>-C, -G or -W was given.</summary>
    public bool Rotates => RotateMillionBytes is not null || RotateSeconds is not null || RotateCount is not null;

    /// <summary>Rotation, or -U with a -w file, asks for the file sink rather than a plain writer (-U with standard
    /// output or printing flushes the plain output after each packet instead).</summary>
    public bool UsesFileSink => Rotates || (PacketBuffered && WriteFile is not (null or "-"));

    private static CliOption[] SinkTable =>
    [
        new(null, "ncap-send", "HOST:PORT[,RATE]", "send the packets read with -r as NCAP datagrams (UDP), at most RATE per second", ParseNcapSend),
        new(null, "send", "DEST", "tcp:HOST:PORT: stream the packets read with -r or captured with -i as pcapng over TCP; nats://HOST:PORT/SUBJECT: publish them (-r or -i) to a JetStream subject", ParseSend),
        new(null, "listen", $"{ListenTarget.Syntax}|NATS-URL", "receive NCAP datagrams (udp), pcap/pcapng streams (tcp; -w FILE or DIR), Zephyr net_capture frames (zephyr, port 4242, -y EN10MB|LINUX_SLL|LINUX_SLL2) or a JetStream subject (nats://HOST:PORT/SUBJECT, through --durable); binds 127.0.0.1 unless ADDR is given ([::] or 0.0.0.0 for every address)", ParseListen),
        new(null, "max-streams", "N", "--listen tcp: receive at most N streams at once, refuse more (default 64)", (o, v) => o.MaxStreams = (int)ParsePositive(v, "--max-streams"), Detail: true),
        new(null, "max-stream-bytes", "SIZE", "--listen tcp: cut a stream before its file passes SIZE bytes (k, M, G suffixes)", (o, v) => o.MaxStreamBytes = ParseSize(v, "--max-stream-bytes"), Detail: true),
        new(null, "max-directory-bytes", "SIZE", "--listen tcp: cut or refuse streams before the directory's files pass SIZE bytes", (o, v) => o.MaxDirectoryBytes = ParseSize(v, "--max-directory-bytes"), Detail: true),
        new(null, "idle-timeout", "SECONDS", "--listen tcp: cut a stream on which nothing arrived for SECONDS (its file is kept)", (o, v) => o.IdleTimeoutSeconds = (int)ParsePositive(v, "--idle-timeout"), Detail: true),
        new(null, "ncap-filter", "SPEC", "NCAP output (-w FILE.ncap, --ncap-send, --listen udp): keep the messages ncaptool's filter SPEC selects", (o, v) => o.NcapFilter = ParseNcapFilter(v)),
        new("C", null, "SIZE", "with -w: start a new file once the current one exceeds SIZE million bytes", (o, v) => o.RotateMillionBytes = ParsePositive(v, "-C")),
        new("G", null, "SECONDS", "with -w: start a new file every SECONDS (FILE is a strftime pattern)", (o, v) => o.RotateSeconds = (int)ParsePositive(v, "-G")),
        new("W", null, "COUNT", "with -C: keep a ring of COUNT files; with -G: stop after COUNT files", (o, v) => o.RotateCount = (int)ParsePositive(v, "-W")),
        new("U", "packet-buffered", null, "flush -w output after every packet (a kill loses nothing written)", (o, _) => o.PacketBuffered = true),
        new("1", null, "[+|-]VALUE", "NCAP output: set user1 to VALUE, OR it in (+), or clear its bits (-)", (o, v) => o.User1 = ParseUserStamp(v, "-1")),
        new("2", null, "[+|-]VALUE", "NCAP output: set user2 to VALUE, OR it in (+), or clear its bits (-)", (o, v) => o.User2 = ParseUserStamp(v, "-2")),
    ];

    private static (string Host, int Port) ParseHostPort(string value, string option)
    {
        int colon = value.LastIndexOf(':');
        string host = colon > 0 ? value[..colon].Trim('[', ']') : "";
        if (host.Length == 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new CliUsageException($"invalid address '{value}' for {option} (HOST:PORT, port 1-65535)");
        return (host, port);
    }

    private static void ParseNcapSend(CliOptions options, string value)
    {
        int comma = value.IndexOf(',');
        options.NcapSend = ParseHostPort(comma < 0 ? value : value[..comma], "--ncap-send");
        if (comma < 0) return;
        options.NcapSendRate = double.TryParse(value.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate > 0 && double.IsFinite(rate)
            ? rate
            : throw new CliUsageException($"invalid rate '{value[(comma + 1)..]}' for --ncap-send (messages per second)");
    }

    private static void ParseSend(CliOptions options, string value)
    {
        if (NatsTarget.Names(value)) options.NatsSend = NatsTarget.Parse(value, "--send");
        else if (value.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase)) options.TcpSend = ParseHostPort(value[4..], "--send");
        else throw new CliUsageException($"invalid destination '{value}' for --send (tcp:HOST:PORT or {NatsTarget.Syntax})");
    }

    private static void ParseListen(CliOptions options, string value)
    {
        if (NatsTarget.Names(value)) options.NatsListen = NatsTarget.Parse(value, "--listen");
        else options.Listen = ListenTarget.Parse(value);
    }

    private static NcapFilter ParseNcapFilter(string value)
    {
        try
        {
            return NcapFilter.Parse(value);
        }
        catch (NcapFilterException e)
        {
            throw new CliUsageException($"bad --ncap-filter '{value}': {e.Message}");
        }
    }

    /// <summary>--ncap-filter selects NCAP messages, so it needs an NCAP output to select for.</summary>
    public void RequireNcapOutputForNcapFilter(bool writesNcap)
    {
        if (NcapFilter is not null && !writesNcap && Listen is not { Protocol: "udp" })
            throw new CliUsageException("--ncap-filter applies to NCAP output only (-w FILE.ncap, --format ncap, --ncap-send, --listen udp)");
    }

    private static NcapUserStamp ParseUserStamp(string value, string option)
    {
        try
        {
            return NcapUserStamp.Parse(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new CliUsageException($"invalid value '{value}' for {option} (a 32-bit number, decimal or 0x hex, optionally after + or -)");
        }
    }

    /// <summary>A byte count: digits with an optional k, M or G (powers of 1024).</summary>
    private static long ParseSize(string value, string option)
    {
        long unit = value.Length == 0 ? 1 : char.ToLowerInvariant(value[^1]) switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 1 };
        var digits = unit == 1 ? value : value[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long number) && number > 0 && number <= long.MaxValue / unit
            ? number * unit
            : throw new CliUsageException($"invalid size '{value}' for {option} (bytes, optionally with k, M or G)");
    }

    private static long ParsePositive(string value, string option) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number) && number is > 0 and <= int.MaxValue
            ? number
            : throw new CliUsageException($"invalid value '{value}' for {option} (a positive number)");
}
