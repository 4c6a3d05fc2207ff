namespace Wirecap.Filter.Syntax;

/// <summary>A node of the parsed filter expression; <see cref="Position"/> is its first character.</summary>
internal abstract record FilterNode(int Position);

/// <summary>The empty expression: every packet matches.</summary>
internal sealed record EmptyNode() : FilterNode(0);

internal sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode(Left.Position);

internal sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode(Left.Position);

internal sealed record NotNode(FilterNode Operand, int At) : FilterNode(At);

/// <summary><c>[proto] [dir] [type] id</c>.</summary>
internal sealed record PrimitiveNode(Qualifiers Qualifiers, IdValue Id) : FilterNode(Id.Position);

/// <summary>A protocol name alone (<c>tcp</c>, <c>ip6</c>, <c>arp</c>…).</summary>
internal sealed record ProtocolNode(Keyword Protocol, int At) : FilterNode(At);

internal enum RelationOperator { Greater, GreaterEqual, Equal, LessEqual, Less, NotEqual }

internal sealed record RelationNode(RelationOperator Operator, ArithmeticNode Left, ArithmeticNode Right, int At) : FilterNode(At);

/// <summary><c>[proto] broadcast</c> or <c>[proto] multicast</c>.</summary>
internal sealed record CastNode(Keyword Protocol, bool Multicast, int At) : FilterNode(At);

/// <summary><c>less N</c> (<c>len &lt;= N</c>) or <c>greater N</c> (<c>len &gt;= N</c>).</summary>
internal sealed record LengthNode(bool Less, uint Value, int At) : FilterNode(At);

/// <summary><c>byte N op V</c> on the network-layer header.</summary>
internal sealed record ByteNode(uint Index, char Operator, uint Value, int At) : FilterNode(At);

internal sealed record DirectionNode(bool Outbound, int At) : FilterNode(At);

internal sealed record InterfaceIndexNode(uint Index, int At) : FilterNode(At);

/// <summary><c>vlan</c>, <c>mpls</c>, <c>pppoed</c>, <c>pppoes</c>, <c>geneve</c>, <c>vxlan</c> with an optional number.</summary>
internal sealed record EncapsulationNode(Keyword Kind, uint? Value, int At) : FilterNode(At);

/// <summary><c>llc</c> with an optional frame kind (<c>i</c>, <c>s</c>, <c>u</c>, or an S/U subtype).</summary>
internal sealed record LlcNode(string? Kind, int At) : FilterNode(At);

/// <summary>A primitive that exists only for link types we do not generate code for.</summary>
internal sealed record UnsupportedNode(Keyword Keyword, string Text, int At) : FilterNode(At);
