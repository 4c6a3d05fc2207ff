namespace Wirecap.Linux.Probes;

/// <summary>What <see cref="ProbeCapture.Open"/> attaches and what it keeps.</summary>
public sealed class ProbeCaptureOptions
{
    /// <summary>The largest snap length a probe copies (bytes of the skb's linear data, fake Ethernet header included).</summary>
    public const int MaximumSnapLength = 4096;

    /// <summary>The probes, by name: <c>tp:net:netif_receive_skb</c>, <c>tp:skb:kfree_skb</c>, <c>kprobe:ip_rcv</c>... (see <see cref="ProbeSpec.Parse"/>).</summary>
    public IReadOnlyList<string> Probes { get; set; } = [];

    /// <summary>A pcap-filter expression matched against each packet (as an Ethernet frame); null keeps all.</summary>
    public string? FilterExpression { get; set; }

    /// <summary>Keep only skbs whose device is in the network namespace of this name under <c>/run/netns</c>; null keeps every namespace.</summary>
    public string? Netns { get; set; }

    /// <summary>Keep only skbs whose device is in the network namespace with this inode number (as <see cref="NetworkNamespace.InodeOf"/> gives); overrides <see cref="Netns"/>.</summary>
    public uint? NetnsInode { get; set; }

    /// <summary>Bytes copied per packet, at most <see cref="MaximumSnapLength"/> (only the skb's linear part is copied).</summary>
    public int SnapLength { get; set; } = 256;

    /// <summary>Size of the ring buffer the probes write into, in bytes (rounded up to a power of two).</summary>
    public int RingSize { get; set; } = 4 << 20;

    /// <summary>Use raw tracepoint programs (every read through <c>bpf_probe_read_kernel</c>) even where BTF-typed ones load.</summary>
    public bool RawTracepoints { get; set; }
}
