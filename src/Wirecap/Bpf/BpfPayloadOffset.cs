namespace Wirecap.Bpf;

/// <summary>
/// The kernel's <c>SKF_AD_PAY_OFFSET</c> (<c>skb_get_poff</c>): dissect the packet from the network
/// header (<see cref="BpfContext.NetworkHeaderOffset"/>, protocol <see cref="BpfContext.Protocol"/>) to
/// the transport header, then add that header's size. The result is relative to offset 0; 0 when the
/// dissection fails (unknown network protocol, truncated IPv4/IPv6 header).
/// </summary>
/// <remarks>
/// Follows <c>__skb_flow_dissect</c> with the basic keys and no flags for IPv4, IPv6 (hop-by-hop,
/// routing, destination-options and fragment headers), in-band 802.1Q/802.1ad tags, ARP/RARP and
/// IP-in-IP / IPv6-in-IP encapsulation, with its limit of 15 headers. Not followed (the payload
/// offset then is the offset of that header, or 0 for an unknown network protocol): GRE, MPLS,
/// PPPoE, TIPC, FCoE, batman-adv and the other rarely used protocols the kernel also parses.
/// </remarks>
internal static class BpfPayloadOffset
{
    private const byte ProtoHopByHop = 0, ProtoIcmp = 1, ProtoIgmp = 2, ProtoIpip = 4, ProtoTcp = 6,
        ProtoUdp = 17, ProtoDccp = 33, ProtoIPv6 = 41, ProtoRouting = 43, ProtoFragment = 44,
        ProtoIcmpv6 = 58, ProtoDestination = 60, ProtoSctp = 132, ProtoUdpLite = 136;

    private const int MaxHeaders = 15; // MAX_FLOW_DISSECT_HDRS

    public static uint Compute(in BpfPacketView packet, in BpfContext context)
    {
        var reader = new Reader(packet);
        if (!Dissect(ref reader, context, out long transportOffset, out byte ipProtocol, out bool laterFragment))
            return 0;
        uint offset = Math.Min((ushort)transportOffset, (ushort)Math.Min(packet.DataLength, ushort.MaxValue));
        if (laterFragment)
            return offset;
        return offset + TransportHeaderLength(ref reader, offset, ipProtocol);
    }

    private static uint TransportHeaderLength(ref Reader reader, uint offset, byte ipProtocol)
    {
        switch (ipProtocol)
        {
            case ProtoTcp:
                if (!reader.TryByte(offset + 12L, out uint dataOffsetByte))
                    return 0;
                return Math.Max(20u, (dataOffsetByte & 0xf0) >> 2);
            case ProtoUdp or ProtoUdpLite or ProtoIcmp or ProtoIcmpv6 or ProtoIgmp:
                return 8;
            case ProtoDccp or ProtoSctp:
                return 12;
            default:
                return 0;
        }
    }

    private static bool Dissect(ref Reader reader, in BpfContext context, out long offset, out byte ipProtocol, out bool laterFragment)
    {
        offset = context.NetworkHeaderOffset;
        ipProtocol = 0;
        laterFragment = false;
        ushort protocol = context.Protocol;
        int headers = 0;
        while (true)
        {
            switch (protocol)
            {
                case EtherTypes.IPv4:
                {
                    if (!reader.TryByte(offset, out uint versionAndLength) || !reader.TryRange(offset, 20))
                        return false;
                    uint headerLength = versionAndLength & 0x0f;
                    if (headerLength < 5)
                        return false;
                    reader.TryByte(offset + 9, out uint protocolByte);
                    reader.TryHalf(offset + 6, out uint fragment);
                    offset += headerLength * 4;
                    ipProtocol = (byte)protocolByte;
                    bool isFragment = (fragment & 0x3fff) != 0; // MF flag or a fragment offset
                    if (isFragment)
                    {
                        laterFragment = (fragment & 0x1fff) != 0;
                        return true;
                    }
                    break;
                }
                case EtherTypes.IPv6:
                    if (!reader.TryRange(offset, 40))
                        return false;
                    reader.TryByte(offset + 6, out uint nextHeader);
                    ipProtocol = (byte)nextHeader;
                    offset += 40;
                    break;
                case EtherTypes.Vlan or EtherTypes.ProviderBridging:
                {
                    if (!reader.TryHalf(offset + 2, out uint inner) || !reader.TryRange(offset, 4))
                        return false;
                    protocol = (ushort)inner;
                    offset += 4;
                    if (++headers > MaxHeaders)
                        return true;
                    continue;
                }
                case EtherTypes.Arp or EtherTypes.Rarp:
                    return true;
                default:
                    return false;
            }

            // The transport protocol loop (ipproto_again).
            bool again = true;
            while (again)
            {
                again = false;
                switch (ipProtocol)
                {
                    case ProtoHopByHop or ProtoRouting or ProtoDestination when protocol == EtherTypes.IPv6:
                    {
                        if (!reader.TryByte(offset, out uint next) || !reader.TryByte(offset + 1, out uint length))
                            return false;
                        ipProtocol = (byte)next;
                        offset += (length + 1) << 3;
                        again = ++headers <= MaxHeaders;
                        if (!again)
                            return true;
                        break;
                    }
                    case ProtoFragment when protocol == EtherTypes.IPv6:
                    {
                        if (!reader.TryRange(offset, 8))
                            return false;
                        reader.TryByte(offset, out uint next);
                        reader.TryHalf(offset + 2, out uint fragmentOffset);
                        offset += 8;
                        ipProtocol = (byte)next;
                        laterFragment = (fragmentOffset & 0xfff8) != 0;
                        return true;
                    }
                    case ProtoIpip or ProtoIPv6:
                        protocol = ipProtocol == ProtoIpip ? EtherTypes.IPv4 : EtherTypes.IPv6;
                        if (++headers > MaxHeaders)
                            return true;
                        goto NextNetworkHeader;
                    default:
                        return true;
                }
            }
            return true;
        NextNetworkHeader:;
        }
    }

    /// <summary>Reads relative to offset 0 anywhere in the buffer (the kernel's <c>skb_header_pointer</c>).</summary>
    private readonly ref struct Reader(BpfPacketView packet)
    {
        private readonly BpfPacketView _packet = packet;

        public bool TryRange(long offset, int length) =>
            offset >= -_packet.DataOffset && offset + length <= _packet.DataLength;

        public bool TryByte(long offset, out uint value) =>
            _packet.TryReadBigEndian(_packet.DataOffset + offset, 1, out value);

        public bool TryHalf(long offset, out uint value) =>
            _packet.TryReadBigEndian(_packet.DataOffset + offset, 2, out value);
    }
}
