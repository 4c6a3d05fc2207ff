using System.Net;
using System.Net.Sockets;
using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    /// <summary>IPv4 host or network: with no protocol it means ip or arp or rarp.</summary>
    private Condition IPv4Host(Keyword protocol, DirectionQualifier dir, uint address, uint mask, string description, int position) =>
        IPv4Hosts(protocol, dir, [address], mask, description, position);

    /// <summary>
    /// Any of several IPv4 addresses (a host name with many A records): one protocol check per
    /// protocol, then the addresses in ascending order, as libpcap 1.11 lays them out.
    /// </summary>
    private Condition IPv4Hosts(Keyword protocol, DirectionQualifier dir, IReadOnlyList<uint> addresses, uint mask, string description, int position)
    {
        var sorted = addresses.Order().ToArray();
        Condition AnyAt(int offset) => Condition.Any(sorted.Select(a => AddressWords(offset, offset, 1, DirectionQualifier.Src, [a], [mask])).ToArray());
        Condition For(uint linkType, int source, int destination) => Condition.And(LinkTypeIs(linkType), dir switch
        {
            DirectionQualifier.Src => AnyAt(source),
            DirectionQualifier.Dst => AnyAt(destination),
            // Both ends must be the same address, so this one stays per address.
            DirectionQualifier.SrcAndDst => Condition.Any(sorted.Select(a => AddressWords(source, destination, 1, dir, [a], [mask])).ToArray()),
            _ => Condition.Or(AnyAt(source), AnyAt(destination)),
        });
        return protocol switch
        {
            // Inside MPLS only IPv4 can be recognised, so ARP and RARP are left out.
            Keyword.None when _layout.MplsDepth > 0 => For(EtherTypes.IPv4, 12, 16),
            Keyword.None => Condition.Any(For(EtherTypes.IPv4, 12, 16), For(EtherTypes.Arp, 14, 24), For(EtherTypes.Rarp, 14, 24)),
            Keyword.Ip => For(EtherTypes.IPv4, 12, 16),
            Keyword.Arp => For(EtherTypes.Arp, 14, 24),
            Keyword.Rarp => For(EtherTypes.Rarp, 14, 24),
            _ => throw InvalidQualifier(protocol, description, position),
        };
    }

    private FilterException InvalidQualifier(Keyword protocol, string description, int position) =>
        new($"'{KeywordTable.Spell(protocol)}' is not a valid qualifier for '{description}'", position);

    /// <summary>
    /// The link carries <paramref name="linkType"/> and the address words at the source and/or
    /// destination offsets (relative to the network header) match under their masks.
    /// </summary>
    private Condition AddressMatch(uint linkType, int sourceOffset, int destinationOffset, int words, DirectionQualifier dir,
        uint[] address, uint[] mask) =>
        Condition.And(LinkTypeIs(linkType), AddressWords(sourceOffset, destinationOffset, words, dir, address, mask));

    /// <summary>The address comparison alone, without the link-type check.</summary>
    private Condition AddressWords(int sourceOffset, int destinationOffset, int words, DirectionQualifier dir, uint[] address, uint[] mask)
    {
        Condition At(int offset)
        {
            var all = Condition.True;
            for (var i = 0; i < words; i++)
            {
                if (mask[i] == 0)
                    continue;
                all = Condition.And(all, CompareNetwork(offset + 4 * i, 4, address[i], mask[i]));
            }
            return all;
        }
        return dir switch
        {
            DirectionQualifier.Src => At(sourceOffset),
            DirectionQualifier.Dst => At(destinationOffset),
            DirectionQualifier.SrcAndDst => Condition.And(At(sourceOffset), At(destinationOffset)),
            _ => Condition.Or(At(sourceOffset), At(destinationOffset)),
        };
    }

    private Condition IPv6Host(Keyword protocol, DirectionQualifier dir, byte[] address, int prefix, string description, int position)
    {
        if (protocol is not (Keyword.None or Keyword.Ip6))
            throw InvalidQualifier(protocol, description, position);
        var words = new uint[4];
        var masks = new uint[4];
        for (var i = 0; i < 4; i++)
        {
            words[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.AsSpan(4 * i));
            var bits = Math.Clamp(prefix - 32 * i, 0, 32);
            masks[i] = bits == 0 ? 0 : uint.MaxValue << (32 - bits);
        }
        return AddressMatch(EtherTypes.IPv6, 8, 24, 4, dir, words, masks);
    }

    private Condition V6Primitive(Qualifiers q, V6Id id)
    {
        var form = id.PrefixLength is not null ? " and prefix length" : "";
        if (q.Address is AddressQualifier.Port or AddressQualifier.PortRange or AddressQualifier.Proto or AddressQualifier.ProtoChain)
            throw new FilterException($"'{Qualifiers.Spell(q.Address)}' qualifier applied to IPv6 address{form}", id.Position);
        if (q.Address == AddressQualifier.Gateway)
            throw new FilterException($"'gateway' is not a valid qualifier for '{TokenQuote.Of(id.Text)}'", id.Position);
        if (!IPAddress.TryParse(id.Address, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            throw new FilterException($"invalid IPv6 address {TokenQuote.Of(id.Address)}", id.Position);
        var prefix = (int)(id.PrefixLength ?? 128);
        if (id.PrefixLength > 128)
            throw new FilterException("mask length must be <= 128", id.Position);
        if (q.Address == AddressQualifier.Host && prefix != 128)
            throw new FilterException($"'host' is not a valid qualifier for '{TokenQuote.Of(id.Text)}'", id.Position);
        var bytes = parsed.GetAddressBytes();
        for (var bit = prefix; bit < 128; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
                throw new FilterException($"non-network bits set in \"{TokenQuote.Of(id.Text)}\"", id.Position);
        }
        var description = q.Address == AddressQualifier.Net || prefix != 128 && q.Address != AddressQualifier.Host
            ? "net <IPv6 prefix>"
            : "host <IPv6 address>";
        if (q.Protocol == Keyword.Decnet)
            throw InvalidQualifier(q.Protocol, description, id.Position);
        return IPv6Host(q.Protocol, q.Direction, bytes, prefix, description, id.Position);
    }

    private Condition MacPrimitive(Qualifiers q, MacId id)
    {
        if (q.Protocol != Keyword.Link || q.Address is not (AddressQualifier.Host or AddressQualifier.Default))
            throw new FilterException("Ethernet address used in non-ether expression", id.Position);
        var mac = ParseMac(id.Address, id.Position);
        return EthernetHost(mac, q.Direction, id.Position, "link host XX:XX:XX:XX:XX:XX");
    }

    private Condition EthernetHost(byte[] mac, DirectionQualifier dir, int position, string what)
    {
        if (_layout.Kind != LinkKind.Ethernet)
            throw NotSupportedHere(what, position);
        var header = _layout.LinkHeader;
        Condition At(int offset) => Condition.And(
            Compare(header, offset + 2, 4, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mac.AsSpan(2))),
            Compare(header, offset, 2, System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(mac)));
        return dir switch
        {
            DirectionQualifier.Src => At(6),
            DirectionQualifier.Dst => At(0),
            DirectionQualifier.SrcAndDst => Condition.And(At(6), At(0)),
            _ => Condition.Or(At(6), At(0)),
        };
    }

    private static byte[] ParseMac(string text, int position)
    {
        var hex = new List<byte>();
        var parts = text.Split(':', '-', '.');
        if (parts.Length == 1 && text.Length == 12)
            parts = Enumerable.Range(0, 6).Select(i => text.Substring(2 * i, 2)).ToArray();
        else if (parts.Length == 3)
            parts = parts.SelectMany(p => new[] { p[..2], p[2..] }).ToArray();
        foreach (var part in parts)
        {
            if (!byte.TryParse(part, System.Globalization.NumberStyles.HexNumber, null, out var b))
                throw new FilterException("invalid Ethernet address", position);
            hex.Add(b);
        }
        if (hex.Count != 6)
            throw new FilterException("invalid Ethernet address", position);
        return [.. hex];
    }

    /// <summary>A name operand: host, network, service, protocol or gateway, by address qualifier.</summary>
    private Condition NamePrimitive(Qualifiers q, NameId id)
    {
        switch (q.Address)
        {
            case AddressQualifier.Port:
                return NamedPort(q, id, range: false);
            case AddressQualifier.PortRange:
                return NamedPort(q, id, range: true);
            case AddressQualifier.Proto:
                return ProtocolNumber(q.Protocol, ResolveProtocolName(q, id, "proto"), id.Position);
            case AddressQualifier.ProtoChain:
                return ProtocolChain(q.Protocol, ResolveProtocolName(q, id, "protochain"), id.Position);
            case AddressQualifier.Gateway:
                return Gateway(q, id);
            case AddressQualifier.Net:
                return NamedNetwork(q, id);
            default:
                return NamedHost(q, id);
        }
    }

    private Condition NamedHost(Qualifiers q, NameId id)
    {
        if (q.Protocol == Keyword.Link)
        {
            if (_layout.Kind != LinkKind.Ethernet)
                throw NotSupportedHere("link host NAME", id.Position);
            var mac = _names.ResolveEthernet(id.Name)
                ?? throw new FilterException($"unknown Ethernet-like host '{TokenQuote.Of(id.Name)}'", id.Position);
            return EthernetHost(mac.GetAddressBytes(), q.Direction, id.Position, "link host NAME");
        }
        if (q.Protocol == Keyword.Decnet)
            throw new FilterException("'decnet' is not a valid qualifier for 'host'", id.Position);
        if (q.Protocol is not (Keyword.None or Keyword.Ip or Keyword.Arp or Keyword.Rarp or Keyword.Ip6))
            throw InvalidQualifier(q.Protocol, "host <Internet hostname>", id.Position);
        var addresses = _names.ResolveHost(id.Name);
        if (addresses.Count == 0)
            throw new FilterException($"unknown host '{TokenQuote.Of(id.Name)}'", id.Position);
        var v4 = q.Protocol == Keyword.Ip6
            ? []
            : addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork)
                .Select(a => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(a.GetAddressBytes())).Distinct().ToList();
        var v6 = q.Protocol is Keyword.None or Keyword.Ip6
            ? addresses.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToList()
            : [];
        if (v4.Count == 0 && v6.Count == 0)
            throw new FilterException($"unknown host '{TokenQuote.Of(id.Name)}' for specified address family", id.Position);
        var result = v4.Count > 0 ? IPv4Hosts(q.Protocol, q.Direction, v4, uint.MaxValue, "host <Internet hostname>", id.Position) : Condition.False;
        foreach (var address in v6)
            result = Condition.Or(result, IPv6Host(q.Protocol, q.Direction, address.GetAddressBytes(), 128, "host <Internet hostname>", id.Position));
        return result;
    }

    private Condition NamedNetwork(Qualifiers q, NameId id)
    {
        if (q.Protocol == Keyword.Decnet)
            throw new FilterException("'decnet' is not a valid qualifier for 'net'", id.Position);
        if (q.Protocol is not (Keyword.None or Keyword.Ip or Keyword.Arp or Keyword.Rarp))
            throw InvalidQualifier(q.Protocol, "net <IPv4 network name>", id.Position);
        var network = _names.ResolveNetwork(id.Name)
            ?? throw new FilterException($"unknown network '{TokenQuote.Of(id.Name)}'", id.Position);
        var mask = uint.MaxValue;
        while (network != 0 && (network & 0xff000000) == 0)
        {
            network <<= 8;
            mask <<= 8;
        }
        return IPv4Host(q.Protocol, q.Direction, network, mask, "net <IPv4 network name>", id.Position);
    }

    /// <summary>
    /// <c>gateway NAME</c>: to or from that host's MAC, an IPv4/ARP/RARP packet (as qualified), and
    /// neither from nor to any of the host's IPv4 addresses.
    /// </summary>
    private Condition Gateway(Qualifiers q, NameId id)
    {
        if (q.Protocol == Keyword.Decnet)
            throw new FilterException("'decnet' is not a valid qualifier for 'gateway'", id.Position);
        if (_layout.InsideTunnel)
            throw new FilterException("'gateway' cannot be used within VXLAN or Geneve", id.Position);
        if (_layout.MplsDepth > 0)
            throw new FilterException("'gateway' cannot be used within MPLS", id.Position);
        if (_layout.Kind != LinkKind.Ethernet)
            throw NotSupportedHere("gateway", id.Position);
        if (q.Protocol is not (Keyword.None or Keyword.Ip or Keyword.Arp or Keyword.Rarp))
            throw InvalidQualifier(q.Protocol, "gateway", id.Position);
        var mac = _names.ResolveEthernet(id.Name)
            ?? throw new FilterException($"unknown Ethernet-like host '{TokenQuote.Of(id.Name)}'", id.Position);
        var v4 = _names.ResolveHost(id.Name).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
        if (v4.Count == 0)
            throw new FilterException($"unknown host '{TokenQuote.Of(id.Name)}'", id.Position);
        var viaMac = EthernetHost(mac.GetAddressBytes(), DirectionQualifier.Default, id.Position, "gateway");
        var values = v4.Select(a => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(a.GetAddressBytes())).ToList();
        Condition NotThisHost(uint linkType, int source, int destination) => Condition.And(LinkTypeIs(linkType),
            Condition.Not(Condition.Any(values.Select(v => AddressWords(source, destination, 1, DirectionQualifier.Default, [v], [uint.MaxValue])).ToArray())));
        var protocols = q.Protocol switch
        {
            Keyword.Ip => NotThisHost(EtherTypes.IPv4, 12, 16),
            Keyword.Arp => NotThisHost(EtherTypes.Arp, 14, 24),
            Keyword.Rarp => NotThisHost(EtherTypes.Rarp, 14, 24),
            _ => Condition.Any(NotThisHost(EtherTypes.IPv4, 12, 16), NotThisHost(EtherTypes.Arp, 14, 24), NotThisHost(EtherTypes.Rarp, 14, 24)),
        };
        return Condition.And(viaMac, protocols);
    }
}
