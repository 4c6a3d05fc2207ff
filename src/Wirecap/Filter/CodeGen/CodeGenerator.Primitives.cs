using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    /// <summary>A qualified primitive: dispatch on the operand's form and the address qualifier.</summary>
    private Condition Primitive(PrimitiveNode node)
    {
        var q = node.Qualifiers;
        var id = node.Id;
        if (q.Direction is >= DirectionQualifier.Addr1)
        {
            var dir = Qualifiers.Spell(q.Direction);
            if (q.Address is AddressQualifier.Port or AddressQualifier.PortRange)
                throw new FilterException($"'{dir}' is not a valid qualifier for '{Qualifiers.Spell(q.Address)}'", id.Position);
            throw new FilterException($"'{dir}' is valid for 802.11 syntax only", id.Position);
        }
        return id switch
        {
            NumberId n => NumberPrimitive(q, n),
            NameId name => NamePrimitive(q, name),
            V4Id v4 => V4Primitive(q, v4),
            V6Id v6 => V6Primitive(q, v6),
            MacId mac => MacPrimitive(q, mac),
            DollarId => throw NotSupportedHere("link host $XX", id.Position),
            _ => throw new InvalidOperationException("unknown id"),
        };
    }

    private Condition NumberPrimitive(Qualifiers q, NumberId id)
    {
        switch (q.Address)
        {
            case AddressQualifier.Port:
                return Port(q, id.Value, id.Value, id.Position, range: false);
            case AddressQualifier.PortRange:
                return Port(q, id.Value, id.Value, id.Position, range: true);
            case AddressQualifier.Proto:
                return ProtocolNumber(q.Protocol, id.Value, id.Position);
            case AddressQualifier.ProtoChain:
                return ProtocolChain(q.Protocol, id.Value, id.Position);
            case AddressQualifier.Gateway:
                throw new FilterException($"'gateway' is not a valid qualifier for '{TokenQuote.Of(id.Text)}'", id.Position);
        }
        if (q.Protocol == Keyword.Link)
            throw new FilterException($"illegal link-layer address '{TokenQuote.Of(id.Text)}'", id.Position);
        if (q.Protocol == Keyword.Decnet)
            throw q.Address == AddressQualifier.Net
                ? new FilterException("'decnet' is not a valid qualifier for 'net'", id.Position)
                : new FilterException($"invalid DECnet address '{TokenQuote.Of(id.Text)}'", id.Position);
        var value = id.Value;
        var mask = uint.MaxValue;
        if (q.Address == AddressQualifier.Net)
        {
            // A bare number as a network is left-aligned: "net 10" is 10.0.0.0/8.
            while (value != 0 && (value & 0xff000000) == 0)
            {
                value <<= 8;
                mask <<= 8;
            }
        }
        return IPv4HostOrNet(q, value, mask, id, id.Text, q.Address == AddressQualifier.Net ? "net <IPv4 address>" : "host <IPv4 address>");
    }

    private Condition V4Primitive(Qualifiers q, V4Id id)
    {
        var form = id.PrefixLength is not null ? " and prefix length" : id.Mask is not null ? " and netmask" : "";
        if (q.Address is AddressQualifier.Port or AddressQualifier.PortRange or AddressQualifier.Proto or AddressQualifier.ProtoChain)
            throw new FilterException($"'{Qualifiers.Spell(q.Address)}' qualifier applied to IPv4 address{form}", id.Position);
        if (q.Protocol == Keyword.Decnet)
        {
            if (q.Address is AddressQualifier.Net or AddressQualifier.Gateway || id.PrefixLength is not null || id.Mask is not null)
                throw new FilterException($"'decnet' is not a valid qualifier for '{Qualifiers.Spell(q.Address == AddressQualifier.Default ? AddressQualifier.Host : q.Address)}'", id.Position);
            return DecnetHost(q.Direction, id.Address, id.Position);
        }
        if (q.Address == AddressQualifier.Gateway)
            throw new FilterException($"'gateway' is not a valid qualifier for '{TokenQuote.Of(id.Text)}'", id.Position);
        var (address, length) = ParseDottedV4(id.Address, id.Position);
        if (id.PrefixLength is null && id.Mask is null)
        {
            if (q.Protocol == Keyword.Link)
                throw new FilterException($"illegal link-layer address '{TokenQuote.Of(id.Text)}'", id.Position);
            var shifted = length == 32 ? address : address << (32 - length);
            var implied = length == 32 ? uint.MaxValue : uint.MaxValue << (32 - length);
            return IPv4HostOrNet(q, shifted, implied, id, id.Text,
                q.Address == AddressQualifier.Net ? "net <IPv4 address>" : "host <IPv4 address>");
        }
        if (q.Address == AddressQualifier.Host)
            throw new FilterException($"'host' is not a valid qualifier for '{TokenQuote.Of(id.Text)}'", id.Position);
        var network = length == 32 ? address : address << (32 - length);
        uint mask;
        if (id.Mask is { } maskText)
        {
            var (m, mlen) = ParseDottedV4(maskText, id.Position);
            mask = mlen == 32 ? m : m << (32 - mlen);
        }
        else
        {
            var prefix = id.PrefixLength!.Value;
            if (prefix > 32)
                throw new FilterException($"netmask length {prefix} greater than maximum 32", id.Position);
            mask = prefix == 0 ? 0 : uint.MaxValue << (int)(32 - prefix);
        }
        return IPv4HostOrNet(q with { Address = AddressQualifier.Net }, network, mask, id, id.Text, "net <IPv4 prefix>");
    }

    private Condition IPv4HostOrNet(Qualifiers q, uint address, uint mask, IdValue id, string text, string description)
    {
        if ((address & ~mask) != 0)
            throw new FilterException($"non-network bits set in \"{TokenQuote.Of(text)}\"", id.Position);
        return IPv4Host(q.Protocol, q.Direction, address, mask, description, id.Position);
    }

    private static (uint Value, int Length) ParseDottedV4(string text, int position)
    {
        var parts = text.Split('.');
        uint value = 0;
        foreach (var part in parts)
        {
            if (!uint.TryParse(part, out var b) || b > 255)
                throw new FilterException($"invalid IPv4 address '{TokenQuote.Of(text)}'", position);
            value = (value << 8) | b;
        }
        return (value, parts.Length * 8);
    }
}
