namespace Wirecap.Cli;

/// <summary>The options of capture at kernel probes (Retis' ideas, tcpdump's spelling).</summary>
internal sealed partial class CliOptions
{
    /// <summary>--probe SPEC (repeatable): capture skbs at this tracepoint or kernel function.</summary>
    public List<string> Probes { get; } = [];
    /// <summary>--list-probes: list the skb tracepoints and whether kprobes and fentry work here.</summary>
    public bool ListProbes { get; set; }
    /// <summary>--netns NAME: keep only skbs whose device is in this namespace (a name under /run/netns).</summary>
    public string? Netns { get; set; }
    /// <summary>--track: print each packet's way through the probes, grouped by tracking id.</summary>
    public bool Track { get; set; }
    /// <summary>--raw-tracepoints: use raw tracepoint programs even where BTF-typed ones load.</summary>
    public bool RawTracepoints { get; set; }

    // A property, not a field: Table (in the other part of this class) reads it during static initialization.
    private static CliOption[] ProbeTable =>
    [
        new(null, "probe", "SPEC", "capture skbs at a kernel probe: tp:net:netif_receive_skb, tp:skb:kfree_skb, kprobe:F, fentry:F (repeatable)", (o, v) => o.Probes.Add(v)),
        new(null, "list-probes", null, "list the skb tracepoints of this kernel, and whether kprobes and fentry work here", (o, _) => o.ListProbes = true),
        new(null, "netns", "NAME", "with --probe: keep only skbs whose device is in network namespace NAME (/run/netns/NAME)", (o, v) => o.Netns = v),
        new(null, "track", null, "with --probe: print each packet's way through the probes, grouped by tracking id", (o, _) => o.Track = true),
        new(null, "raw-tracepoints", null, null, (o, _) => o.RawTracepoints = true),
    ];
}
