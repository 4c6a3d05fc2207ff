namespace Wirecap.Linux.Probes;

/// <summary>
/// The record a probe program writes into the ring buffer for each skb, read back by <see cref="ProbeCapture"/>.
/// All fields are host byte order except <see cref="Protocol"/>, which is the skb's big-endian EtherType as stored.
/// </summary>
internal static class ProbeEventLayout
{
    public const short SkbAddress = 0;     // u64 the sk_buff's address
    public const short KernelTime = 8;     // u64 bpf_ktime_get_ns() at the probe (CLOCK_MONOTONIC)
    public const short SkbTimestamp = 16;  // u64 skb->tstamp (0 when not stamped)
    public const short HeadAddress = 24;   // u64 skb->head: the packet's identity for tracking
    public const short ProbeId = 32;       // u32 index of the probe in the capture's list
    public const short NetnsInode = 36;    // u32 dev->nd_net.net->ns.inum (0 without a device)
    public const short Ifindex = 40;       // u32 dev->ifindex (0 without a device)
    public const short Mark = 44;          // u32 skb->mark
    public const short WireLength = 48;    // u32 bytes from the first copied header to the end of the packet (fake header included)
    public const short CaptureLength = 52; // u32 bytes in Packet (fake header included)
    public const short DropReason = 56;    // u32 enum skb_drop_reason at kfree_skb, else 0
    public const short Protocol = 60;      // u16 skb->protocol, big-endian as in the skb
    public const short Flags = 62;         // u16 FlagFakeEthernet...
    public const short Packet = 64;        // the bytes

    /// <summary>The skb had no MAC header: <see cref="Packet"/> starts with 14 made-up bytes (zero MACs, the skb's protocol).</summary>
    public const ushort FlagFakeEthernet = 1;

    /// <summary>Length of the made-up Ethernet header.</summary>
    public const int FakeEthernetLength = 14;

    /// <summary>The size of a record for a snap length.</summary>
    public static int RecordSize(int snapLength) => Packet + ((snapLength + 7) & ~7);
}
