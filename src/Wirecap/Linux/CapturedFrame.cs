using Wirecap.Formats;

namespace Wirecap.Linux;

/// <summary>One captured packet as it lies in the receive ring: <see cref="Data"/> points into ring memory and is
/// valid only until the callback that received it returns. Copy it to keep it.</summary>
public readonly ref struct CapturedFrame
{
    internal CapturedFrame(ReadOnlySpan<byte> data, LinkType linkType, long timestampNanoseconds, int originalLength, LinuxPacketMetadata metadata, int point = 0)
    {
        Data = data;
        LinkType = linkType;
        TimestampNanoseconds = timestampNanoseconds;
        OriginalLength = originalLength;
        Metadata = metadata;
        Point = point;
    }

    /// <summary>The captured bytes, starting with the link-layer header of the capture's link type
    /// (Ethernet, or a LINUX_SLL2 header on the <c>any</c> device).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The link-layer header type <see cref="Data"/> starts with.</summary>
    public LinkType LinkType { get; }

    /// <summary>Arrival time, nanoseconds since the Unix epoch.</summary>
    public long TimestampNanoseconds { get; }

    /// <summary>Length of the packet on the wire (including a re-inserted VLAN tag or a cooked header).</summary>
    public int OriginalLength { get; }

    /// <summary>What the kernel reported of the packet besides its bytes (what a socket filter's ancillary loads read);
    /// a <see cref="Filter.PacketFilter"/> run on <see cref="Data"/> takes it to see what the kernel's filter saw.</summary>
    public LinuxPacketMetadata Metadata { get; }

    /// <summary>Which of the capture's points saw the frame: an index into <see cref="ILiveCapture.WriterInterfaces"/>
    /// (the probe of a probe capture; 0 for an interface capture).</summary>
    public int Point { get; }

    /// <summary>Index of the interface the packet was seen on.</summary>
    public int InterfaceIndex => Metadata.InterfaceIndex;

    /// <summary>Whether the packet was sent, or received for this host, as broadcast, multicast or for another host.</summary>
    public LinuxPacketType PacketType => Metadata.PacketType;

    /// <summary>The packet's protocol (EtherType, host byte order) as the kernel saw it.</summary>
    public ushort Protocol => Metadata.Protocol;

    /// <summary>The interface's ARPHRD_* hardware type (1 for Ethernet).</summary>
    public ushort HardwareType => Metadata.HardwareType;

    /// <summary>The VLAN tag control information the kernel took out of the frame (valid when <see cref="HasVlan"/>).</summary>
    public ushort VlanTci => Metadata.VlanTci;

    /// <summary>The VLAN tag protocol identifier (0x8100 or 0x88a8) when <see cref="HasVlan"/>.</summary>
    public ushort VlanTpid => Metadata.VlanTpid;

    /// <summary>The kernel removed a VLAN tag from this frame (re-inserted into <see cref="Data"/> unless disabled).</summary>
    public bool HasVlan => Metadata.HasVlan;

    /// <summary>The flow hash the kernel computed, or 0.</summary>
    public uint RxHash => Metadata.ReceiveHash;

    /// <summary>Arrival time as a <see cref="DateTimeOffset"/> (100 ns resolution).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.UnixEpoch.AddTicks(TimestampNanoseconds / 100);

    /// <summary>The frame as a record for a <see cref="CaptureWriter"/>: pcapng flags carry the direction and
    /// reception type (unicast, multicast, broadcast, promiscuous).</summary>
    /// <param name="interfaceId">The writer's interface number for this capture.</param>
    public PacketRecord ToRecord(int interfaceId = 0) =>
        new(Data, TimestampNanoseconds, OriginalLength, LinkType, interfaceId) { Flags = PacketFlags };

    /// <summary>An owned copy of the frame.</summary>
    public Packet ToPacket(int interfaceId = 0) =>
        new(Data.ToArray(), TimestampNanoseconds, OriginalLength, LinkType, interfaceId) { Flags = PacketFlags };

    /// <summary>pcapng <c>epb_flags</c>: bits 0-1 direction, bits 2-4 reception type.</summary>
    private uint PacketFlags => PacketType switch
    {
        LinuxPacketType.Outgoing => (uint)PacketDirection.Outbound,
        LinuxPacketType.Host => (uint)PacketDirection.Inbound | 1 << 2,
        LinuxPacketType.Multicast => (uint)PacketDirection.Inbound | 2 << 2,
        LinuxPacketType.Broadcast => (uint)PacketDirection.Inbound | 3 << 2,
        LinuxPacketType.OtherHost => (uint)PacketDirection.Inbound | 4 << 2,
        _ => 0,
    };
}
