namespace Wirecap.Bpf;

/// <summary>
/// Offsets of the kernel's ancillary loads (<c>SKF_AD_*</c>) and the negative-offset bases,
/// as <c>k</c> values of <c>ld [k]</c>.
/// </summary>
public static class BpfAncillary
{
    /// <summary><c>SKF_AD_OFF</c> as an unsigned k (-0x1000).</summary>
    public const uint Base = 0xfffff000;
    /// <summary><c>SKF_NET_OFF</c> (-0x100000): offsets relative to the network header.</summary>
    public const int NetOffset = -0x100000;
    /// <summary><c>SKF_LL_OFF</c> (-0x200000): offsets relative to the link-layer header.</summary>
    public const int LinkLayerOffset = -0x200000;
    /// <summary><c>SKF_AD_MAX</c>: the first ancillary number the kernel does not know.</summary>
    public const int Max = 64;

    /// <summary>SKF_AD_PROTOCOL</summary>
    public const int Protocol = 0;
    /// <summary>SKF_AD_PKTTYPE</summary>
    public const int PacketType = 4;
    /// <summary>SKF_AD_IFINDEX</summary>
    public const int InterfaceIndex = 8;
    /// <summary>SKF_AD_NLATTR</summary>
    public const int NetlinkAttribute = 12;
    /// <summary>SKF_AD_NLATTR_NEST</summary>
    public const int NetlinkAttributeNested = 16;
    /// <summary>SKF_AD_MARK</summary>
    public const int Mark = 20;
    /// <summary>SKF_AD_QUEUE</summary>
    public const int Queue = 24;
    /// <summary>SKF_AD_HATYPE</summary>
    public const int HardwareType = 28;
    /// <summary>SKF_AD_RXHASH</summary>
    public const int ReceiveHash = 32;
    /// <summary>SKF_AD_CPU</summary>
    public const int Cpu = 36;
    /// <summary>SKF_AD_ALU_XOR_X</summary>
    public const int AluXorX = 40;
    /// <summary>SKF_AD_VLAN_TAG</summary>
    public const int VlanTag = 44;
    /// <summary>SKF_AD_VLAN_TAG_PRESENT</summary>
    public const int VlanTagPresent = 48;
    /// <summary>SKF_AD_PAY_OFFSET</summary>
    public const int PayloadOffset = 52;
    /// <summary>SKF_AD_RANDOM</summary>
    public const int Random = 56;
    /// <summary>SKF_AD_VLAN_TPID</summary>
    public const int VlanTpid = 60;
}
