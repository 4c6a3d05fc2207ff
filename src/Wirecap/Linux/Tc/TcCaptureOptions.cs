using Wirecap.Bpf;

namespace Wirecap.Linux.Tc;

/// <summary>How <see cref="TcCapture"/> hooks its programs into TC.</summary>
public enum TcAttachMode
{
    /// <summary>tcx links where the kernel has them (Linux 6.6), else a clsact qdisc with cls_bpf filters.</summary>
    Auto,
    /// <summary>tcx links only (<c>BPF_LINK_CREATE</c>); they go when the process ends, however it ends.</summary>
    Tcx,
    /// <summary>A clsact qdisc with direct-action cls_bpf filters (the way before 6.6), set up over rtnetlink. The
    /// filters outlive a killed process; the next <see cref="TcCapture.Open"/> on the interface removes them.</summary>
    Clsact,
}

/// <summary>What <see cref="TcCapture.Open"/> attaches and what it keeps.</summary>
public sealed class TcCaptureOptions
{
    /// <summary>The largest snap length: one record holds a packet of up to this many bytes.</summary>
    public const int MaximumSnapLength = 262_144;

    /// <summary>The interface to capture on, in the calling thread's network namespace (required).</summary>
    public string Interface { get; set; } = "";

    /// <summary>Which hooks run the program: ingress (<see cref="PacketDirection.Inbound"/>), egress
    /// (<see cref="PacketDirection.Outbound"/>) or both (the default).</summary>
    public PacketDirection Direction { get; set; } = PacketDirection.Both;

    /// <summary>A pcap-filter expression (compiled for the interface's link type); ignored when <see cref="Program"/> is set.</summary>
    public string? FilterExpression { get; set; }

    /// <summary>A classic BPF filter program, as a packet socket would run it (its return value is the bytes to keep).</summary>
    public BpfProgram? Program { get; set; }

    /// <summary>Bytes kept of each packet, 1 to <see cref="MaximumSnapLength"/>.</summary>
    public int SnapLength { get; set; } = MaximumSnapLength;

    /// <summary>Size of the ring buffer the programs write into, in bytes (rounded up to a power of two, and to at
    /// least four records of the snap length).</summary>
    public int RingSize { get; set; } = 8 << 20;

    /// <summary>Where the programs hook in; <see cref="TcAttachMode.Auto"/> by default.</summary>
    public TcAttachMode Attach { get; set; } = TcAttachMode.Auto;
}
