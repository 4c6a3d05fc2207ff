using Wirecap.Linux;

namespace Wirecap.Cli;

/// <summary>How -i captures: the AF_PACKET ring, or eBPF at TC.</summary>
internal enum LiveDatapath
{
    Packet,
    Tc,
}

/// <summary>The options of live capture (tcpdump's names).</summary>
internal sealed partial class CliOptions
{
    /// <summary>-i IFACE: capture live on IFACE ("any" for every interface).</summary>
    public string? Interface { get; set; }
    /// <summary>-D: list the interfaces a capture can use.</summary>
    public bool ListInterfaces { get; set; }
    /// <summary>-L: list the data-link types of the interface (-i, else the first one that is up) and exit.</summary>
    public bool ListLinkTypes { get; set; }
    /// <summary>-s SNAPLEN: bytes kept per packet (0 = 262144).</summary>
    public int SnapLength { get; set; } = PacketCaptureOptions.MaximumSnapLength;
    /// <summary>Whether -s was given: a copy (-r with -w) then cuts records to it, and otherwise keeps every byte.</summary>
    public bool SnapLengthGiven { get; set; }
    /// <summary>-p: don't put the interface into promiscuous mode.</summary>
    public bool NoPromiscuous { get; set; }
    /// <summary>-Q in|out|inout: direction.</summary>
    public PacketDirection Direction { get; set; } = PacketDirection.Both;
    /// <summary>-B KiB: ring size in KiB.</summary>
    public long? BufferKiB { get; set; }
    /// <summary>--immediate-mode: deliver packets without buffering delay.</summary>
    public bool Immediate { get; set; }
    /// <summary>--datapath packet|tc: capture through the AF_PACKET ring (the default) or by eBPF at TC.</summary>
    public LiveDatapath Datapath { get; set; } = LiveDatapath.Packet;
    /// <summary>--tc-attach auto|tcx|clsact (with --datapath tc): how the programs hook in.</summary>
    public Wirecap.Linux.Tc.TcAttachMode TcAttach { get; set; } = Wirecap.Linux.Tc.TcAttachMode.Auto;

    // A property, not a field: Table (in the other part of this class) reads it during static initialization.
    private static CliOption[] LiveTable =>
    [
        new("i", "interface", "IFACE", "capture live on IFACE (any: every interface)", (o, v) => o.Interface = v),
        new("D", "list-interfaces", null, "list the interfaces live capture can use", (o, _) => o.ListInterfaces = true),
        new("L", "list-data-link-types", null, "list the data link types of -i IFACE (default: the first up interface) and exit", (o, _) => o.ListLinkTypes = true),
        new("s", "snapshot-length", "SNAPLEN", "keep at most SNAPLEN bytes of each packet (0: 262144)", (o, v) => { o.SnapLength = ParseSnapLength(v); o.SnapLengthGiven = true; }),
        new("p", "no-promiscuous-mode", null, "don't put the interface into promiscuous mode", (o, _) => o.NoPromiscuous = true),
        new("Q", "direction", "in|out|inout", "capture only received, only sent, or all packets", (o, v) => o.Direction = ParseDirection(v)),
        new("B", "buffer-size", "KiB", "size of the kernel ring in KiB", (o, v) => o.BufferKiB = ParseBuffer(v)),
        new(null, "immediate-mode", null, "deliver each packet at once instead of in blocks", (o, _) => o.Immediate = true),
        new(null, "immediate", null, null, (o, _) => o.Immediate = true),
        new(null, "datapath", "packet|tc", "capture through the AF_PACKET ring (packet, the default) or by eBPF at TC ingress/egress (tc)", (o, v) => o.Datapath = ParseDatapath(v)),
        new(null, "tc-attach", "auto|tcx|clsact", "with --datapath tc: hook in through tcx, a clsact qdisc, or tcx where the kernel has it (auto)", (o, v) => o.TcAttach = ParseTcAttach(v)),
    ];

    private static LiveDatapath ParseDatapath(string value) => value switch
    {
        "packet" => LiveDatapath.Packet,
        "tc" => LiveDatapath.Tc,
        _ => throw new CliUsageException($"invalid datapath '{value}' (packet or tc)"),
    };

    private static Wirecap.Linux.Tc.TcAttachMode ParseTcAttach(string value) => value switch
    {
        "auto" => Wirecap.Linux.Tc.TcAttachMode.Auto,
        "tcx" => Wirecap.Linux.Tc.TcAttachMode.Tcx,
        "clsact" => Wirecap.Linux.Tc.TcAttachMode.Clsact,
        _ => throw new CliUsageException($"invalid TC attachment '{value}' (auto, tcx or clsact)"),
    };

    private static int ParseSnapLength(string value) => int.TryParse(value, out var snap) && snap >= 0
        ? (snap == 0 || snap > PacketCaptureOptions.MaximumSnapLength ? PacketCaptureOptions.MaximumSnapLength : snap)
        : throw new CliUsageException($"invalid snapshot length '{value}'");

    private static PacketDirection ParseDirection(string value) => value switch
    {
        "in" => PacketDirection.Inbound,
        "out" => PacketDirection.Outbound,
        "inout" => PacketDirection.Both,
        _ => throw new CliUsageException($"invalid direction '{value}' (in, out or inout)"),
    };

    private static long ParseBuffer(string value) => long.TryParse(value, out var kib) && kib > 0
        ? kib
        : throw new CliUsageException($"invalid buffer size '{value}' (KiB)");
}
