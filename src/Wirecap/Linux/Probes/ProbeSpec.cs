namespace Wirecap.Linux.Probes;

/// <summary>
/// A probe named as on the command line: <c>tp:net:netif_receive_skb</c> (or <c>tp:netif_receive_skb</c>,
/// <c>net:netif_receive_skb</c>, Retis' <c>raw_tracepoint:net:netif_receive_skb</c>), <c>kprobe:ip_rcv</c>,
/// <c>fentry:ip_rcv</c>. A bare <c>SYSTEM:NAME</c> is a tracepoint, as in Retis' <c>-p</c>.
/// </summary>
public sealed record ProbeSpec
{
    private ProbeSpec(ProbeKind kind, string? system, string target)
    {
        Kind = kind;
        System = system;
        Target = target;
    }

    /// <summary>Tracepoint, kprobe or fentry.</summary>
    public ProbeKind Kind { get; }

    /// <summary>The tracepoint's system (<c>net</c>, <c>skb</c>) when given or found; null for functions, or when unknown.</summary>
    public string? System { get; init; }

    /// <summary>The tracepoint or kernel function name.</summary>
    public string Target { get; }

    /// <summary>A tracepoint probe.</summary>
    public static ProbeSpec Tracepoint(string system, string name) => new(ProbeKind.Tracepoint, NonEmpty(system, "system"), Identifier(name));

    /// <summary>Parses a probe name.</summary>
    /// <exception cref="ProbeException">The text is not a probe name.</exception>
    public static ProbeSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        ProbeException Bad(string why) => new($"probe '{text}': {why} (expected tp:SYSTEM:NAME, tp:NAME, SYSTEM:NAME, kprobe:FUNCTION or fentry:FUNCTION)");
        if (parts.Any(p => p.Length == 0)) throw Bad("an empty part");
        switch (parts[0])
        {
            case "tp" or "tracepoint" or "raw_tracepoint" or "raw_tp" or "tp_btf":
                if (parts.Length == 2) return new ProbeSpec(ProbeKind.Tracepoint, null, Checked(parts[1]));
                if (parts.Length == 3) return new ProbeSpec(ProbeKind.Tracepoint, Checked(parts[1]), Checked(parts[2]));
                throw Bad("too many ':'");
            case "kprobe" or "k":
                return parts.Length == 2 ? new ProbeSpec(ProbeKind.Kprobe, null, Checked(parts[1])) : throw Bad("a function name is one part");
            case "fentry" or "f":
                return parts.Length == 2 ? new ProbeSpec(ProbeKind.Fentry, null, Checked(parts[1])) : throw Bad("a function name is one part");
            default:
                if (parts.Length == 2) return new ProbeSpec(ProbeKind.Tracepoint, Checked(parts[0]), Checked(parts[1]));
                throw Bad($"unknown probe type '{parts[0]}'");
        }

        string Checked(string part) => IsIdentifier(part) ? part : throw Bad($"'{part}' is not a kernel symbol name");
    }

    /// <summary>Retis' name for the probe, as in its pcapng comments: <c>raw_tracepoint:net:netif_receive_skb</c>, <c>kprobe:ip_rcv</c>.</summary>
    public string RetisName => Kind switch
    {
        ProbeKind.Tracepoint => $"raw_tracepoint:{System ?? "unknown"}:{Target}",
        ProbeKind.Kprobe => $"kprobe:{Target}",
        _ => $"fentry:{Target}",
    };

    /// <summary>The short form Retis prints in front of an event: <c>[tp] net:netif_receive_skb</c>, <c>[k] ip_rcv</c>.</summary>
    public string DisplayName => Kind switch
    {
        ProbeKind.Tracepoint => $"[tp] {(System is null ? "" : System + ":")}{Target}",
        ProbeKind.Kprobe => $"[k] {Target}",
        _ => $"[f] {Target}",
    };

    /// <summary>The canonical spelling, which <see cref="Parse"/> reads back: <c>tp:net:netif_receive_skb</c>.</summary>
    public override string ToString() => Kind switch
    {
        ProbeKind.Tracepoint => System is null ? $"tp:{Target}" : $"tp:{System}:{Target}",
        ProbeKind.Kprobe => $"kprobe:{Target}",
        _ => $"fentry:{Target}",
    };

    private static bool IsIdentifier(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');

    private static string Identifier(string s) => IsIdentifier(s) ? s : throw new ProbeException($"'{s}' is not a kernel symbol name");

    private static string NonEmpty(string s, string what) => string.IsNullOrEmpty(s) ? throw new ProbeException($"a tracepoint's {what} is empty") : Identifier(s);
}
