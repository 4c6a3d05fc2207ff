using Wirecap.Formats;

namespace Wirecap.Decoding;

/// <summary>What the link layer of a frame says about the network layer it carries.</summary>
public readonly ref struct LinkLayer
{
    /// <summary>The link type the frame was decoded as.</summary>
    public LinkType LinkType { get; init; }
    /// <summary>The EtherType of <see cref="Payload"/> (for RAW, IPv4 or IPv6 by the version
    /// nibble; 0 when unknown).</summary>
    public ushort EtherType { get; init; }
    /// <summary>Length of the link-layer header (tags included).</summary>
    public int HeaderLength { get; init; }
    /// <summary>The network-layer bytes.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }
    /// <summary>Number of 802.1Q tags crossed (Ethernet only).</summary>
    public int VlanTagCount { get; init; }
    /// <summary>Tag control information of the outer tag (when <see cref="VlanTagCount"/> &gt; 0).</summary>
    public ushort OuterTagControl { get; init; }
    /// <summary>Tag control information of the inner tag (when <see cref="VlanTagCount"/> = 2).</summary>
    public ushort InnerTagControl { get; init; }

    /// <summary>Strips the link-layer header of Ethernet (up to two VLAN tags), NULL, LOOP, Linux
    /// SLL and SLL2, RAW, IPV4 and IPV6 frames.</summary>
    /// <returns>False for other link types and for frames shorter than their header.</returns>
    public static bool TryParse(LinkType linkType, ReadOnlySpan<byte> frame, out LinkLayer layer)
    {
        layer = default;
        switch (linkType)
        {
            case LinkType.Ethernet:
                if (!EthernetHeader.TryParse(frame, out var ethernet)) return false;
                layer = new LinkLayer
                {
                    LinkType = linkType, EtherType = ethernet.EtherType, HeaderLength = ethernet.Length, Payload = ethernet.Payload,
                    VlanTagCount = ethernet.TagCount,
                    OuterTagControl = ethernet.TagCount > 0 ? ethernet.TagControl(0) : (ushort)0,
                    InnerTagControl = ethernet.TagCount > 1 ? ethernet.TagControl(1) : (ushort)0,
                };
                return true;
            case LinkType.Null:
            case LinkType.Loop:
                if (!LoopbackHeader.TryReadFamily(frame, linkType == LinkType.Loop, out uint family)) return false;
                layer = new LinkLayer
                {
                    LinkType = linkType, EtherType = LoopbackHeader.EtherTypeOf(family),
                    HeaderLength = LoopbackHeader.Length, Payload = frame[LoopbackHeader.Length..],
                };
                return true;
            case LinkType.LinuxSll:
                if (!LinuxSllHeader.TryParse(frame, out var sll)) return false;
                layer = new LinkLayer { LinkType = linkType, EtherType = sll.Protocol, HeaderLength = LinuxSllHeader.Length, Payload = sll.Payload };
                return true;
            case LinkType.LinuxSll2:
                if (!LinuxSll2Header.TryParse(frame, out var sll2)) return false;
                layer = new LinkLayer { LinkType = linkType, EtherType = sll2.Protocol, HeaderLength = LinuxSll2Header.Length, Payload = sll2.Payload };
                return true;
            case LinkType.Raw:
            case LinkType.Ipv4:
            case LinkType.Ipv6:
                ushort etherType = frame.IsEmpty ? (ushort)0 : (frame[0] >> 4) switch
                {
                    4 => EtherTypes.IPv4,
                    6 => EtherTypes.IPv6,
                    _ => (ushort)0,
                };
                layer = new LinkLayer { LinkType = linkType, EtherType = etherType, HeaderLength = 0, Payload = frame };
                return true;
            default:
                return false;
        }
    }

    /// <summary>True for the link types <see cref="TryParse"/> decodes.</summary>
    public static bool IsSupported(LinkType linkType) => linkType is LinkType.Ethernet or LinkType.Null or LinkType.Loop
        or LinkType.LinuxSll or LinkType.LinuxSll2 or LinkType.Raw or LinkType.Ipv4 or LinkType.Ipv6;
}
