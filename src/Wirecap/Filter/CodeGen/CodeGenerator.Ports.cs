using Wirecap.Bpf;
using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private const uint Tcp = 6;
    private const uint Udp = 17;
    private const uint Sctp = 132;

    /// <summary><c>[tcp|udp|sctp] [dir] port N</c> or <c>portrange N1-N2</c>, over IPv6 then IPv4.</summary>
    private Condition Port(Qualifiers q, uint low, uint high, int position, bool range)
    {
        var kind = range ? "portrange" : "port";
        uint[] transports = q.Protocol switch
        {
            Keyword.None => [Tcp, Udp, Sctp],
            Keyword.Tcp => [Tcp],
            Keyword.Udp => [Udp],
            Keyword.Sctp => [Sctp],
            _ => throw new FilterException($"'{KeywordTable.Spell(q.Protocol)}' is not a valid qualifier for '{kind}'", position),
        };
        foreach (var port in new[] { low, high })
        {
            if (port > 65535)
                throw new FilterException($"port number {port} greater than maximum 65535", position);
        }
        if (low > high)
            (low, high) = (high, low);

        Condition Atom(Func<int, BpfInstruction[]> load, int offset) => low == high
            ? Condition.Test(load(offset), Instructions.Jeq, low)
            : Condition.And(Condition.Test(load(offset), Instructions.Jge, low), Condition.Not(Condition.Test(load(offset), Instructions.Jgt, high)));

        Condition Ports(Func<int, BpfInstruction[]> load) => q.Direction switch
        {
            DirectionQualifier.Src => Atom(load, 0),
            DirectionQualifier.Dst => Atom(load, 2),
            DirectionQualifier.SrcAndDst => Condition.And(Atom(load, 0), Atom(load, 2)),
            _ => Condition.Or(Atom(load, 0), Atom(load, 2)),
        };

        var v6 = Condition.All(
            LinkTypeIs(EtherTypes.IPv6),
            Condition.Any(transports.Select(t => CompareNetwork(6, 1, t)).ToArray()),
            Ports(offset => LoadIpv6Transport(offset, 2)));
        var v4 = Condition.All(
            LinkTypeIs(EtherTypes.IPv4),
            Condition.Any(transports.Select(t => CompareNetwork(9, 1, t)).ToArray()),
            Ipv4NotLaterFragment(),
            Ports(offset => LoadIpv4Transport(offset, 2)));
        return Condition.Or(v6, v4);
    }

    private Condition NamedPort(Qualifiers q, NameId id, bool range)
    {
        var kind = range ? "portrange" : "port";
        if (q.Protocol is not (Keyword.None or Keyword.Tcp or Keyword.Udp or Keyword.Sctp))
            throw new FilterException($"'{KeywordTable.Spell(q.Protocol)}' is not a valid qualifier for '{kind}'", id.Position);
        if (!range)
        {
            var port = ResolvePort(q.Protocol, id.Name) ?? throw new FilterException($"unknown port '{TokenQuote.Of(id.Name)}'", id.Position);
            return Port(q, port, port, id.Position, range: false);
        }
        for (var dash = id.Name.IndexOf('-'); dash > 0; dash = id.Name.IndexOf('-', dash + 1))
        {
            if (ResolvePort(q.Protocol, id.Name[..dash]) is { } low && ResolvePort(q.Protocol, id.Name[(dash + 1)..]) is { } high)
                return Port(q, low, high, id.Position, range: true);
        }
        if (ResolvePort(q.Protocol, id.Name) is { } single)
            return Port(q, single, single, id.Position, range: true);
        throw new FilterException($"unknown port in range '{TokenQuote.Of(id.Name)}'", id.Position);
    }

    private uint? ResolvePort(Keyword protocol, string name)
    {
        if (uint.TryParse(name, out var number))
            return number;
        string[] names = protocol switch
        {
            Keyword.Tcp => ["tcp"],
            Keyword.Udp => ["udp"],
            Keyword.Sctp => ["sctp"],
            _ => ["tcp", "udp", "sctp"],
        };
        foreach (var transport in names)
        {
            if (_names.ResolveService(name, transport) is { } port)
                return (uint)port;
        }
        return null;
    }
}
