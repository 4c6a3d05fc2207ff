namespace Wirecap;

/// <summary>
/// What the Linux kernel knows of a packet besides its bytes (fields of its <c>sk_buff</c>, as a packet socket's
/// ring reports them): what the kernel's socket filter reads through its ancillary loads (<c>SKF_AD_*</c>), so
/// that a filter run in this process on a live frame sees the same values the kernel's would have seen.
/// </summary>
public readonly record struct LinuxPacketMetadata
{
    /// <summary>The packet's protocol (an EtherType, host byte order) as the kernel saw it.</summary>
    public ushort Protocol { get; init; }

    /// <summary>Whether the packet was sent, or received for this host, as broadcast, multicast or for another host.</summary>
    public LinuxPacketType PacketType { get; init; }

    /// <summary>Index of the interface the packet was seen on.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>The interface's ARPHRD_* hardware type (1 for Ethernet, 772 for loopback).</summary>
    public ushort HardwareType { get; init; }

    /// <summary>The flow hash the kernel computed, or 0.</summary>
    public uint ReceiveHash { get; init; }

    /// <summary>The packet's firewall mark (<c>skb-&gt;mark</c>), where the source reads it: the TC and probe captures do;
    /// a packet socket's ring does not report it, so frames from <c>PacketCapture</c> have 0 here (their kernel filter
    /// still sees the mark).</summary>
    public uint Mark { get; init; }

    /// <summary>The kernel took a VLAN tag out of the frame and holds it beside it.</summary>
    public bool HasVlan { get; init; }

    /// <summary>The tag control information of that tag (valid when <see cref="HasVlan"/>).</summary>
    public ushort VlanTci { get; init; }

    /// <summary>The tag protocol identifier of that tag (0x8100 or 0x88a8, valid when <see cref="HasVlan"/>).</summary>
    public ushort VlanTpid { get; init; }
}
