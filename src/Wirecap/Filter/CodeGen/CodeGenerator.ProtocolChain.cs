using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    /// <summary><c>[ip|ip6] protochain N</c>: walks the header chain looking for protocol N.</summary>
    private Condition ProtocolChain(Keyword qualifier, uint value, int position)
    {
        if (value > 255)
            throw new FilterException($"protocol number {value} greater than maximum 255", position);
        if (_layout.InsideTunnel)
            throw new FilterException("'protochain' not supported with variable length headers", position);
        return qualifier switch
        {
            Keyword.Ip => Ipv4Chain(value),
            Keyword.Ip6 => Ipv6Chain(value),
            Keyword.None => Condition.Or(Ipv4Chain(value), Ipv6Chain(value)),
            _ => throw new FilterException($"'{KeywordTable.Spell(qualifier)}' is not a valid qualifier for 'protochain'", position),
        };
    }

    private Condition Ipv4Chain(uint value)
    {
        DisableOptimizer = true;
        var nl = _layout.NetworkBase;
        var slot = AllocateScratch(-1);
        return Condition.And(LinkTypeIs(EtherTypes.IPv4), new GraphCondition((yes, no) => ChainWalker.Build(nl.Constant, ipv6: false, value, slot, yes, no)));
    }

    private Condition Ipv6Chain(uint value)
    {
        DisableOptimizer = true;
        var nl = _layout.NetworkBase;
        var slot = AllocateScratch(-1);
        return Condition.And(LinkTypeIs(EtherTypes.IPv6), new GraphCondition((yes, no) => ChainWalker.Build(nl.Constant, ipv6: true, value, slot, yes, no)));
    }
}
