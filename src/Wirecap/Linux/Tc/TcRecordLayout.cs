namespace Wirecap.Linux.Tc;

/// <summary>
/// The record a TC program writes into the ring buffer for each packet it keeps, read back in place by
/// <see cref="TcCapture"/>. Fields are host byte order, except the two EtherTypes, which the program stores as
/// <c>__sk_buff</c> has them (network order in the low 16 bits).
/// </summary>
internal static class TcRecordLayout
{
    public const short KernelTime = 0;     // u64 bpf_ktime_get_ns() when the program ran (CLOCK_MONOTONIC)
    public const short WireLength = 8;     // u32 skb->len: the whole packet
    public const short CaptureLength = 12; // u32 bytes in Packet
    public const short Ifindex = 16;       // u32 skb->ifindex
    public const short Mark = 20;          // u32 skb->mark
    public const short Hash = 24;          // u32 skb->hash
    public const short Protocol = 28;      // u16 skb->protocol (network order)
    public const short VlanTci = 30;       // u16 skb->vlan_tci (host order)
    public const short VlanProto = 32;     // u16 skb->vlan_proto (network order)
    public const short VlanPresent = 34;   // u8 skb->vlan_present
    public const short PacketType = 35;    // u8 skb->pkt_type
    public const short Direction = 36;     // u8 DirectionIngress or DirectionEgress: the hook that ran
    public const short Packet = 40;        // the bytes, from the link-layer header on

    public const byte DirectionIngress = 0;
    public const byte DirectionEgress = 1;

    /// <summary>Counter map slots: records lost because the ring was full, and packets whose bytes could not be copied.</summary>
    public const int CounterRingFull = 0;
    public const int CounterCopyFailed = 1;
    public const int CounterCount = 2;
}
