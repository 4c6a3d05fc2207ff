using Wirecap.Bpf;

namespace Wirecap.Linux;

/// <summary>How to open a live capture. The defaults capture whole packets in both directions, not
/// promiscuously, into a 32 MiB ring handed over at least every 64 ms.</summary>
public sealed class PacketCaptureOptions
{
    /// <summary>The pseudo-device that captures on every interface (cooked, LINUX_SLL2 records).</summary>
    public const string AnyInterface = "any";

    /// <summary>The largest snapshot length libpcap accepts; also the default.</summary>
    public const int MaximumSnapLength = 262144;

    /// <summary>Interface name, e.g. <c>eth0</c>, <c>lo</c> or <see cref="AnyInterface"/>. Ignored when
    /// <see cref="InterfaceIndex"/> is set.</summary>
    public string Interface { get; set; } = AnyInterface;

    /// <summary>Interface by index instead of by name (0 means every interface, like <see cref="AnyInterface"/>).</summary>
    public int? InterfaceIndex { get; set; }

    /// <summary>Bytes kept of each packet (1 to <see cref="MaximumSnapLength"/>); the rest is cut, the
    /// original length is still reported.</summary>
    public int SnapLength { get; set; } = MaximumSnapLength;

    /// <summary>Put the interface in promiscuous mode for the life of the capture, to see frames addressed to other hosts.</summary>
    public bool Promiscuous { get; set; }

    /// <summary>Received, sent or both.</summary>
    public PacketDirection Direction { get; set; } = PacketDirection.Both;

    /// <summary>Total size of the receive ring in bytes (rounded down to whole blocks, at least one block).</summary>
    public long RingSize { get; set; } = 32L << 20;

    /// <summary>Size of one ring block in bytes: a power-of-two multiple of the page size. A block is handed to
    /// the reader when full or when <see cref="BlockTimeout"/> expires. Frames longer than a block are cut.</summary>
    public int BlockSize { get; set; } = 1 << 20;

    /// <summary>Longest time the kernel keeps a partly filled block before handing it over (1 ms granularity).</summary>
    public TimeSpan BlockTimeout { get; set; } = TimeSpan.FromMilliseconds(64);

    /// <summary>Deliver each packet as soon as it arrives. The ring then holds TPACKET_V2 frame slots instead of blocks,
    /// and the kernel wakes the reader for every packet (a block wakes it only when full or after
    /// <see cref="BlockTimeout"/>, which immediate mode does not use): tens of microseconds instead of up to a block
    /// timeout, for more CPU per packet. Each slot has room for one packet of up to <see cref="SnapLength"/> bytes, at
    /// most 64 KiB plus headers (longer ones are cut, their original length kept), so a ring of
    /// <see cref="RingSize"/> bytes holds fewer packets than with blocks; a short snapshot length packs more.</summary>
    public bool Immediate { get; set; }

    /// <summary>Report timestamps with nanosecond resolution (the default); false truncates them to microseconds, as
    /// libpcap does unless asked for nanoseconds.</summary>
    public bool NanosecondTimestamps { get; set; } = true;

    /// <summary>A classic BPF program run by the kernel on each packet before it enters the ring; a packet is kept
    /// when the program returns non-zero, cut to the returned length. If the kernel cannot run the program (it refuses
    /// it, or on a cooked capture it reads header fields the kernel has no equivalent for) it runs in this process
    /// instead, with the same semantics. Null captures everything.</summary>
    public BpfProgram? Filter { get; set; }

    /// <summary>A pcap-filter expression (tcpdump's language, e.g. <c>udp port 53</c>) compiled for the capture's
    /// link type and used like <see cref="Filter"/>; ignored when <see cref="Filter"/> is set.</summary>
    public string? FilterExpression { get; set; }

    /// <summary>Join a fanout group so several sockets (threads, processes) share the interface's packets.</summary>
    public FanoutOptions? Fanout { get; set; }

    /// <summary>Put the VLAN tag the kernel took out of a received frame back in (with its real TPID), as libpcap does.</summary>
    public bool ReinsertVlanTags { get; set; } = true;

    /// <summary>Sets <see cref="RingSize"/> to <paramref name="bytes"/> and halves <see cref="BlockSize"/> (down to
    /// 4 KiB) until the ring holds at least eight blocks, so a small ring (tcpdump's <c>-B</c>) is still a ring of
    /// several blocks rather than one refused as smaller than a block.</summary>
    public void SizeRing(long bytes)
    {
        RingSize = bytes;
        while (BlockSize > 4096 && RingSize < 8L * BlockSize) BlockSize /= 2;
    }

    internal string DeviceLabel => InterfaceIndex is { } index ? $"#{index}" : Interface;
}
