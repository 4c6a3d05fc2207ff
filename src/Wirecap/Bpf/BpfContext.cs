namespace Wirecap.Bpf;

/// <summary>
/// What a filter may read besides the packet bytes: the socket buffer metadata behind the kernel's
/// ancillary loads (<c>SKF_AD_*</c>), the wire length for <c>ld len</c>, and where the link-layer and
/// network headers lie for <c>SKF_LL_OFF</c>/<c>SKF_NET_OFF</c> loads.
/// </summary>
/// <remarks>
/// <para>Buffer model. The buffer handed to <see cref="BpfInterpreter"/> may begin with
/// <see cref="DataOffset"/> bytes of headroom; the filter's offset 0 (the kernel's <c>skb-&gt;data</c>)
/// is at buffer index <see cref="DataOffset"/>. Loads with a non-negative offset read from offset 0
/// onwards and fail past the end of the buffer. Headroom is reachable only through
/// <c>SKF_LL_OFF</c>/<c>SKF_NET_OFF</c>: on a <c>SOCK_DGRAM</c> packet socket offset 0 is the network
/// header and the link-layer header precedes it, so <see cref="LinkLayerHeaderOffset"/> is negative
/// (e.g. -14 with 14 bytes of headroom). On <c>SOCK_RAW</c> Ethernet, offset 0 is the frame start,
/// <see cref="LinkLayerHeaderOffset"/> 0 and <see cref="NetworkHeaderOffset"/> 14.</para>
/// <para>Negative-offset loads, like the kernel's, may only touch the linear part of the buffer:
/// from the start of the headroom to <see cref="LinearLength"/> (by default the whole buffer).</para>
/// <para>A captured packet may be shorter than it was on the wire. The kernel's filter saw the whole
/// packet; an in-process filter sees only the captured bytes, so a load past the captured bytes
/// fails (drops) even if it lay within the wire length, as in libpcap. <c>ld len</c> returns
/// <see cref="WireLength"/>.</para>
/// <para>The default value describes a packet whose headers both start at offset 0 with no VLAN tag,
/// protocol 0, packet type host, and everything else 0 — enough for programs that read only bytes.</para>
/// </remarks>
public readonly struct BpfContext
{
    /// <summary>The default context, shared so callers without metadata pass it by reference instead of zeroing a copy per packet.</summary>
    internal static readonly BpfContext None;

    /// <summary><c>skb-&gt;protocol</c> as a number (EtherType, e.g. 0x0800), read by <c>SKF_AD_PROTOCOL</c>.</summary>
    public ushort Protocol { get; init; }

    /// <summary><c>skb-&gt;pkt_type</c>, read by <c>SKF_AD_PKTTYPE</c>.</summary>
    public LinuxPacketType PacketType { get; init; }

    /// <summary>Receiving/sending interface index, read by <c>SKF_AD_IFINDEX</c>.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary><c>skb-&gt;mark</c>, read by <c>SKF_AD_MARK</c>.</summary>
    public uint Mark { get; init; }

    /// <summary><c>skb-&gt;queue_mapping</c>, read by <c>SKF_AD_QUEUE</c>.</summary>
    public ushort Queue { get; init; }

    /// <summary>The device's hardware type (<c>ARPHRD_*</c>, Ethernet = 1), read by <c>SKF_AD_HATYPE</c>.</summary>
    public ushort HardwareType { get; init; }

    /// <summary><c>skb-&gt;hash</c> (0 when not computed), read by <c>SKF_AD_RXHASH</c>.</summary>
    public uint ReceiveHash { get; init; }

    /// <summary>
    /// The CPU number <c>SKF_AD_CPU</c> returns; when null, the processor the filter runs on
    /// (<see cref="Thread.GetCurrentProcessorId"/>), as the kernel does.
    /// </summary>
    public int? Cpu { get; init; }

    /// <summary>The VLAN TCI held outside the frame (all 16 bits), read by <c>SKF_AD_VLAN_TAG</c>.</summary>
    public ushort VlanTci { get; init; }

    /// <summary>Whether a VLAN tag is held outside the frame, read by <c>SKF_AD_VLAN_TAG_PRESENT</c>.</summary>
    public bool VlanTagPresent { get; init; }

    /// <summary>The tag's TPID (0x8100, 0x88a8; 0 when none), read by <c>SKF_AD_VLAN_TPID</c>.</summary>
    public ushort VlanTpid { get; init; }

    /// <summary>
    /// In the <see cref="BpfDialect.Libpcap"/> dialect, whether <c>ldb [SKF_AD_OFF+VLAN_TAG]</c> and
    /// <c>ldb [SKF_AD_OFF+VLAN_TAG_PRESENT]</c> read the VLAN fields above (libpcap's internal
    /// filtering with auxiliary data) rather than failing (its public <c>bpf_filter</c>). Ignored by
    /// the kernel dialect.
    /// </summary>
    public bool LibpcapVlanAuxiliaryData { get; init; }

    /// <summary>
    /// The packet's length on the wire, returned by <c>ld len</c>/<c>ldx len</c>; 0 means "the number of
    /// bytes from offset 0 to the end of the buffer" (nothing was truncated).
    /// </summary>
    public uint WireLength { get; init; }

    /// <summary>Number of headroom bytes at the start of the buffer before the filter's offset 0 (default 0).</summary>
    public int DataOffset { get; init; }

    /// <summary>Offset of the link-layer (mac) header relative to offset 0; may be negative (see remarks).</summary>
    public int LinkLayerHeaderOffset { get; init; }

    /// <summary>True when the packet has no link-layer header at all, so every <c>SKF_LL_OFF</c> load fails.</summary>
    public bool LinkLayerHeaderMissing { get; init; }

    /// <summary>Offset of the network header relative to offset 0; may be negative (see remarks).</summary>
    public int NetworkHeaderOffset { get; init; }

    /// <summary>
    /// Bytes from offset 0 that lie in the kernel's linear area (the rest would be paged fragments);
    /// 0 or less means the whole buffer is linear. Negative-offset loads stop here, and the netlink
    /// attribute searches (<c>SKF_AD_NLATTR*</c>) return 0 when the packet is not wholly linear.
    /// </summary>
    public int LinearLength { get; init; }

    /// <summary>Source of <c>SKF_AD_RANDOM</c>; when null, <see cref="System.Random.Shared"/>.</summary>
    public Func<uint>? Random { get; init; }
}
