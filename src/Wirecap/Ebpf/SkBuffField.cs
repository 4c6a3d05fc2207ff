namespace Wirecap.Ebpf;

/// <summary>Offsets of the fields of <c>struct __sk_buff</c>, the stable context of socket-filter and TC programs
/// (<c>uapi/linux/bpf.h</c>; the verifier rewrites these loads to the real <c>sk_buff</c>).</summary>
public static class SkBuffField
{
    /// <summary>u32 <c>len</c>: bytes of the whole packet.</summary>
    public const short Length = 0;
    /// <summary>u32 <c>pkt_type</c> (PACKET_HOST…).</summary>
    public const short PacketType = 4;
    /// <summary>u32 <c>mark</c>.</summary>
    public const short Mark = 8;
    /// <summary>u32 <c>queue_mapping</c>.</summary>
    public const short QueueMapping = 12;
    /// <summary>u32 <c>protocol</c> (EtherType in network byte order).</summary>
    public const short Protocol = 16;
    /// <summary>u32 <c>vlan_present</c>.</summary>
    public const short VlanPresent = 20;
    /// <summary>u32 <c>vlan_tci</c>.</summary>
    public const short VlanTci = 24;
    /// <summary>u32 <c>vlan_proto</c> (network byte order).</summary>
    public const short VlanProto = 28;
    /// <summary>u32 <c>priority</c>.</summary>
    public const short Priority = 32;
    /// <summary>u32 <c>ingress_ifindex</c>.</summary>
    public const short IngressIfindex = 36;
    /// <summary>u32 <c>ifindex</c>: the device the packet is on.</summary>
    public const short Ifindex = 40;
    /// <summary>u32 <c>tc_index</c>.</summary>
    public const short TcIndex = 44;
    /// <summary>u32 <c>cb[5]</c>.</summary>
    public const short ControlBuffer = 48;
    /// <summary>u32 <c>hash</c>.</summary>
    public const short Hash = 68;
    /// <summary>u32 <c>tc_classid</c>.</summary>
    public const short TcClassId = 72;
    /// <summary>u32 <c>data</c>: pointer to the first packet byte (direct packet access).</summary>
    public const short Data = 76;
    /// <summary>u32 <c>data_end</c>: pointer past the linear packet data.</summary>
    public const short DataEnd = 80;
    /// <summary>u64 <c>tstamp</c>.</summary>
    public const short Timestamp = 152;
    /// <summary>u32 <c>wire_len</c>.</summary>
    public const short WireLength = 160;
    /// <summary>Size of <c>struct __sk_buff</c> as a test-run context (through <c>hwtstamp</c>).</summary>
    public const int ContextSize = 192;
}
