using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

/// <summary>
/// Generates a condition tree from the syntax tree, walking it left to right because
/// encapsulation primitives change header offsets for everything after them.
/// </summary>
internal sealed partial class CodeGenerator
{
    private const int ScratchSlots = 16;
    private readonly IFilterNameResolver _names;
    private readonly uint? _netmask;
    private LinkLayout _layout;
    private int _nextScratch;

    public CodeGenerator(int dlt, uint? netmask, IFilterNameResolver names)
    {
        _layout = LinkLayout.For(dlt);
        _netmask = netmask;
        _names = names;
    }

    /// <summary>Set by primitives whose code the optimizer must leave alone (loops, variable headers).</summary>
    public bool DisableOptimizer { get; private set; }

    public Condition Generate(FilterNode node) => node switch
    {
        EmptyNode => Condition.True,
        AndNode or OrNode => Chain(node),
        NotNode n => Condition.Not(Generate(n.Operand)),
        PrimitiveNode p => Primitive(p),
        ProtocolNode p => ProtocolAbbreviation(p.Protocol, p.Position),
        RelationNode r => Relation(r),
        CastNode c => c.Multicast ? Multicast(c.Protocol, c.Position) : Broadcast(c.Protocol, c.Position),
        LengthNode l => PacketLength(l),
        ByteNode b => ByteTest(b),
        DirectionNode d => Direction(d),
        InterfaceIndexNode i => InterfaceIndex(i),
        EncapsulationNode e => Encapsulation(e),
        LlcNode l => Llc(l),
        UnsupportedNode u => throw Unsupported(u),
        _ => throw new InvalidOperationException($"unexpected node {node.GetType().Name}"),
    };

    /// <summary>
    /// An <c>and</c>/<c>or</c> chain, left to right. The language groups them from the left, so a chain of
    /// N terms is a left spine N deep: it is walked in a loop, leaving recursion to nested terms only.
    /// </summary>
    private Condition Chain(FilterNode node)
    {
        var rights = new Stack<FilterNode>();
        while (node is AndNode or OrNode)
        {
            rights.Push(node);
            node = node is AndNode a ? a.Left : ((OrNode)node).Left;
        }
        var result = Generate(node);
        while (rights.Count > 0)
        {
            result = rights.Pop() switch
            {
                AndNode a => Condition.And(result, Generate(a.Right)),
                var o => Condition.Or(result, Generate(((OrNode)o).Right)),
            };
        }
        return result;
    }

    private string DltName => Dlt.Name(_layout.Dlt);

    private int AllocateScratch(int position)
    {
        if (_nextScratch >= ScratchSlots)
            throw new FilterException("too many registers needed to evaluate expression", position);
        return _nextScratch++;
    }

    private FilterException NotSupportedHere(string what, int position) =>
        new($"'{what}' not supported on {DltName}", position);

    private FilterException Unsupported(UnsupportedNode node)
    {
        var word = node.Text;
        return node.Keyword switch
        {
            Keyword.Type or Keyword.Subtype => NotSupportedHere("type/subtype", node.Position),
            Keyword.Dir => NotSupportedHere("dir", node.Position),
            Keyword.PfIfName => new FilterException("'ifname' supported only on PFLOG linktype", node.Position),
            Keyword.PfRuleSet => new FilterException("'ruleset' supported only on PFLOG linktype", node.Position),
            Keyword.PfRuleNumber => new FilterException("'rnr' supported only on PFLOG linktype", node.Position),
            Keyword.PfSubRuleNumber => new FilterException("'srnr' supported only on PFLOG linktype", node.Position),
            Keyword.PfReason => new FilterException("'reason' supported only on PFLOG linktype", node.Position),
            Keyword.PfAction => new FilterException("'action' supported only on PFLOG linktype", node.Position),
            Keyword.Fisu or Keyword.Lssu or Keyword.Msu or Keyword.Hfisu or Keyword.Hlssu or Keyword.Hmsu
                or Keyword.Sio or Keyword.Opc or Keyword.Dpc or Keyword.Sls or Keyword.Hsio or Keyword.Hopc
                or Keyword.Hdpc or Keyword.Hsls => new FilterException($"'{TokenQuote.Of(word)}' supported only on SS7", node.Position),
            Keyword.BatAdv => NotSupportedHere("batadv", node.Position),
            _ => new FilterException($"'{TokenQuote.Of(word)}' supported only on SUNATM", node.Position),
        };
    }
}
