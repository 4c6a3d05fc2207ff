using Wirecap.Formats;

namespace Wirecap.Linux.Probes;

/// <summary>
/// One skb seen at a probe: the packet bytes (an Ethernet frame, possibly with a made-up header) and what
/// the kernel knew about it. <see cref="Data"/> points into the ring buffer and is valid only until the
/// handler returns; <see cref="ToPacket"/> copies it.
/// </summary>
public readonly ref struct ProbeEvent
{
    internal ProbeEvent(ReadOnlySpan<byte> data, ProbeInfo probe, long timestampNanoseconds, int originalLength, ulong skbAddress,
        ulong kernelTime, ulong skbTimestamp, uint netnsInode, int ifindex, uint mark, ushort protocol, bool fakeEthernet,
        string? dropReason, ProbeTrackingId tracking)
    {
        Data = data;
        Probe = probe;
        TimestampNanoseconds = timestampNanoseconds;
        OriginalLength = originalLength;
        SkbAddress = skbAddress;
        KernelTime = kernelTime;
        SkbTimestamp = skbTimestamp;
        NetnsInode = netnsInode;
        Ifindex = ifindex;
        Mark = mark;
        Protocol = protocol;
        FakeEthernetHeader = fakeEthernet;
        DropReason = dropReason;
        Tracking = tracking;
    }

    /// <summary>The copied bytes as an Ethernet frame.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The probe that saw it.</summary>
    public ProbeInfo Probe { get; }

    /// <summary>When the probe ran, nanoseconds since the Unix epoch.</summary>
    public long TimestampNanoseconds { get; }

    /// <summary>The packet's length from its first header on (the made-up header included).</summary>
    public int OriginalLength { get; }

    /// <summary>The sk_buff's kernel address.</summary>
    public ulong SkbAddress { get; }

    /// <summary><c>bpf_ktime_get_ns()</c> at the probe (CLOCK_MONOTONIC nanoseconds).</summary>
    public ulong KernelTime { get; }

    /// <summary>The skb's own timestamp (<c>skb-&gt;tstamp</c>), 0 when not stamped.</summary>
    public ulong SkbTimestamp { get; }

    /// <summary>The inode number of the device's network namespace (0 without a device).</summary>
    public uint NetnsInode { get; }

    /// <summary>The device's interface index in its namespace (0 without a device).</summary>
    public int Ifindex { get; }

    /// <summary><c>skb-&gt;mark</c>.</summary>
    public uint Mark { get; }

    /// <summary><c>skb-&gt;protocol</c> as an EtherType in host order (0x0800 for IPv4).</summary>
    public ushort Protocol { get; }

    /// <summary>The skb had no MAC header: the first 14 bytes are made up (zero MACs, <see cref="Protocol"/>), as Retis does.</summary>
    public bool FakeEthernetHeader { get; }

    /// <summary>At <c>kfree_skb</c>: the drop reason's name (<c>NO_SOCKET</c>); else null.</summary>
    public string? DropReason { get; }

    /// <summary>The packet's identity across probes.</summary>
    public ProbeTrackingId Tracking { get; }

    /// <summary>The link type of <see cref="Data"/>: always Ethernet.</summary>
    public LinkType LinkType => LinkType.Ethernet;

    /// <summary>An owned copy.</summary>
    public ProbePacket ToPacket() => new(Data.ToArray(), Probe, TimestampNanoseconds, OriginalLength, SkbAddress, KernelTime, SkbTimestamp,
        NetnsInode, Ifindex, Mark, Protocol, FakeEthernetHeader, DropReason, Tracking);
}

/// <summary>An owned copy of a <see cref="ProbeEvent"/>.</summary>
public sealed record ProbePacket(byte[] Data, ProbeInfo Probe, long TimestampNanoseconds, int OriginalLength, ulong SkbAddress,
    ulong KernelTime, ulong SkbTimestamp, uint NetnsInode, int Ifindex, uint Mark, ushort Protocol, bool FakeEthernetHeader,
    string? DropReason, ProbeTrackingId Tracking);

/// <summary>
/// One packet's identity across probes, as Retis tracks it: the first time any probe saw the packet's
/// data (skb head) and that head's address. Sightings of the same packet share it.
/// </summary>
/// <param name="FirstSeen">Kernel time (monotonic ns) of the first sighting.</param>
/// <param name="Head">The address of the skb's data head.</param>
public readonly record struct ProbeTrackingId(ulong FirstSeen, ulong Head)
{
    /// <summary>Retis' spelling: <c>#&lt;first seen hex&gt;&lt;head hex&gt;</c>.</summary>
    public override string ToString() => $"#{FirstSeen:x}{Head:x}";
}

/// <summary>A probe as opened: its name, how it attached, and where its skb argument is.</summary>
/// <param name="Id">Index in the capture's probe list, and the interface id it writes to in pcapng.</param>
/// <param name="Spec">The probe's name, with its tracepoint system filled in.</param>
/// <param name="Attachment">How it runs: <c>tp_btf</c> (BTF-typed tracepoint), <c>raw_tp</c> (raw tracepoint), <c>fentry</c>
/// (BPF trampoline) or <c>kprobe</c> (a kprobe perf event).</param>
/// <param name="SkbArgument">The index of its <c>struct sk_buff *</c> argument.</param>
/// <param name="Signature">The tracepoint's or function's arguments as BTF gives them.</param>
public sealed record ProbeInfo(int Id, ProbeSpec Spec, string Attachment, int SkbArgument, string Signature)
{
    /// <summary>The pcapng comment Retis writes on each packet: <c>probe=raw_tracepoint:net:netif_receive_skb</c>.</summary>
    public string Comment => "probe=" + Spec.RetisName;
}

/// <summary>Receives each event; <paramref name="probeEvent"/> is valid only during the call.</summary>
public delegate void ProbeEventHandler(in ProbeEvent probeEvent);
