namespace Wirecap.Filter.Syntax;

/// <summary>
/// Recursive-descent parser for libpcap's grammar: <c>and</c>/<c>or</c> share one precedence and
/// group from the left, <c>not</c> binds tighter, and a bare id after <c>and</c>/<c>or</c> reuses the
/// qualifiers of the primitive before it.
/// </summary>
internal sealed class Parser
{
    private const string SyntaxError = "can't parse filter expression: syntax error";
    private readonly List<Token> _tokens;
    private readonly Nesting _nesting = new();
    private int _index;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static FilterNode Parse(string expression)
    {
        var parser = new Parser(Lexer.Tokenize(expression));
        if (parser.Current.Kind == TokenKind.End)
            return new EmptyNode();
        var (node, _) = parser.ParseExpression(null);
        if (parser.Current.Kind != TokenKind.End)
            throw parser.Error();
        return node;
    }

    private Token Current => _tokens[_index];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Advance() => _tokens[_index++];

    private FilterSyntaxException Error() => new(SyntaxError, Current.Position);

    private static bool IsAnd(Token t) => t.Kind == TokenKind.AndAnd || t.Is(Keyword.And);

    private static bool IsOr(Token t) => t.Kind == TokenKind.OrOr || t.Is(Keyword.Or);

    private static bool IsNot(Token t) => t.Kind == TokenKind.Bang || t.Is(Keyword.Not);

    /// <summary>expr := term { (and|or) (term | id) }. Returns the qualifiers a following bare id inherits.</summary>
    private (FilterNode Node, Qualifiers? Inherited) ParseExpression(Qualifiers? before)
    {
        var (left, qualifiers) = ParseTerm(before);
        while (IsAnd(Current) || IsOr(Current))
        {
            var isAnd = IsAnd(Advance());
            FilterNode right;
            if (StartsBareId())
                right = ParseId(qualifiers);
            else
                (right, qualifiers) = ParseTerm(qualifiers);
            left = isAnd ? new AndNode(left, right) : new OrNode(left, right);
        }
        return (left, qualifiers);
    }

    /// <summary>Whether the next tokens are an id (inheriting qualifiers) rather than a term.</summary>
    private bool StartsBareId()
    {
        var ahead = 0;
        while (IsNot(Peek(ahead)))
            ahead++;
        var token = Peek(ahead);
        switch (token.Kind)
        {
            case TokenKind.Name or TokenKind.HostV4 or TokenKind.HostV6 or TokenKind.Mac or TokenKind.Dollar:
                return true;
            case TokenKind.Number:
                return EndsId(Peek(ahead + 1));
            case TokenKind.LeftParen:
                return ParenthesisedIdFollows(_index + ahead);
            default:
                return false;
        }
    }

    private static bool EndsId(Token next) =>
        next.Kind is TokenKind.End or TokenKind.RightParen || IsAnd(next) || IsOr(next);

    /// <summary>Tries <c>( id {and|or id} )</c> without consuming anything.</summary>
    private bool ParenthesisedIdFollows(int at)
    {
        var saved = _index;
        try
        {
            _index = at;
            ParseId(new Qualifiers(Keyword.None, DirectionQualifier.Default, AddressQualifier.Host), probeOnly: true);
            return true;
        }
        catch (FilterSyntaxException)
        {
            return false;
        }
        finally
        {
            _index = saved;
        }
    }

    private (FilterNode, Qualifiers?) ParseTerm(Qualifiers? before)
    {
        if (IsNot(Current))
        {
            var at = Advance().Position;
            _nesting.Enter(at);
            try
            {
                var (operand, qualifiers) = ParseTerm(before);
                return (new NotNode(operand, at), qualifiers);
            }
            finally
            {
                _nesting.Leave();
            }
        }
        return ParseRelationalTerm(before);
    }

    private (FilterNode, Qualifiers?) ParseRelationalTerm(Qualifiers? before)
    {
        var token = Current;
        if (token.Kind == TokenKind.LeftParen)
        {
            var saved = _index;
            Advance();
            _nesting.Enter(token.Position);
            try
            {
                var (inner, _) = ParseExpression(before);
                if (Current.Kind == TokenKind.RightParen && !ContinuesArithmetic(Peek()))
                {
                    Advance();
                    return (inner, before);
                }
            }
            catch (FilterSyntaxException) when (LooksArithmetic(saved))
            {
            }
            finally
            {
                _nesting.Leave();
            }
            _index = saved;
            return (ParseRelation(), null);
        }
        if (token.Kind == TokenKind.Keyword)
        {
            if (ProtocolNames.IsProtocol(token.Keyword))
                return ParseAfterProtocol();
            if (IsHeadStart(token.Keyword))
                return ParseHeadAndId(Keyword.None, -1);
            return (ParseOther(), null);
        }
        if (token.Kind is TokenKind.Number or TokenKind.Minus)
            return (ParseRelation(), null);
        throw Error();
    }

    private bool LooksArithmetic(int at)
    {
        var depth = 0;
        for (var i = at; i < _tokens.Count; i++)
        {
            var kind = _tokens[i].Kind;
            if (kind == TokenKind.LeftParen) depth++;
            else if (kind == TokenKind.RightParen && --depth == 0)
                return ContinuesArithmetic(_tokens[i + 1]) || IsRelation(_tokens[i + 1]);
        }
        return false;
    }

    private static bool ContinuesArithmetic(Token t) => IsRelation(t) || ArithmeticParser.IsBinaryOperator(t.Kind);

    private static bool IsRelation(Token t) => t.Kind is TokenKind.Greater or TokenKind.GreaterEqual or TokenKind.Equal
        or TokenKind.Less or TokenKind.LessEqual or TokenKind.NotEqual;

    private static bool IsHeadStart(Keyword k) => k is Keyword.Src or Keyword.Dst or Keyword.Host or Keyword.Net
        or Keyword.Port or Keyword.PortRange or Keyword.Gateway or Keyword.Proto or Keyword.ProtoChain
        or Keyword.Addr1 or Keyword.Addr2 or Keyword.Addr3 or Keyword.Addr4 or Keyword.Ra or Keyword.Ta;

    private (FilterNode, Qualifiers?) ParseAfterProtocol()
    {
        var protocol = Advance();
        var next = Current;
        if (next.Kind == TokenKind.LeftBracket)
        {
            _index--;
            return (ParseRelation(), null);
        }
        if (next.Kind == TokenKind.Keyword)
        {
            if (IsHeadStart(next.Keyword))
                return ParseHeadAndId(protocol.Keyword, protocol.Position);
            if (next.Keyword is Keyword.Broadcast or Keyword.Multicast)
            {
                Advance();
                return (new CastNode(protocol.Keyword, next.Keyword == Keyword.Multicast, protocol.Position), null);
            }
            if (next.Keyword is Keyword.Type or Keyword.Subtype or Keyword.Dir)
                return (ParseUnsupported(), null);
        }
        return (new ProtocolNode(protocol.Keyword, protocol.Position), null);
    }

    private (FilterNode, Qualifiers?) ParseHeadAndId(Keyword protocol, int protocolPosition)
    {
        var direction = DirectionQualifier.Default;
        var address = AddressQualifier.Default;
        var token = Current;
        if (token.Is(Keyword.Src) || token.Is(Keyword.Dst))
        {
            Advance();
            var isSrc = token.Keyword == Keyword.Src;
            direction = isSrc ? DirectionQualifier.Src : DirectionQualifier.Dst;
            var other = isSrc ? Keyword.Dst : Keyword.Src;
            if ((IsAnd(Current) || IsOr(Current)) && Peek().Is(other))
            {
                direction = IsAnd(Current) ? DirectionQualifier.SrcAndDst : DirectionQualifier.SrcOrDst;
                Advance();
                Advance();
            }
        }
        else if (token.Kind == TokenKind.Keyword && token.Keyword is Keyword.Addr1 or Keyword.Addr2 or Keyword.Addr3
                     or Keyword.Addr4 or Keyword.Ra or Keyword.Ta)
        {
            Advance();
            direction = token.Keyword switch
            {
                Keyword.Addr1 => DirectionQualifier.Addr1,
                Keyword.Addr2 => DirectionQualifier.Addr2,
                Keyword.Addr3 => DirectionQualifier.Addr3,
                Keyword.Addr4 => DirectionQualifier.Addr4,
                Keyword.Ra => DirectionQualifier.Ra,
                _ => DirectionQualifier.Ta,
            };
        }
        token = Current;
        if (token.Kind == TokenKind.Keyword)
        {
            var kind = token.Keyword switch
            {
                Keyword.Host => AddressQualifier.Host,
                Keyword.Net => AddressQualifier.Net,
                Keyword.Port => AddressQualifier.Port,
                Keyword.PortRange => AddressQualifier.PortRange,
                Keyword.Gateway when direction == DirectionQualifier.Default => AddressQualifier.Gateway,
                Keyword.Proto when direction == DirectionQualifier.Default => AddressQualifier.Proto,
                Keyword.ProtoChain when direction == DirectionQualifier.Default => AddressQualifier.ProtoChain,
                _ => AddressQualifier.Default,
            };
            if (kind != AddressQualifier.Default)
            {
                Advance();
                address = kind;
            }
        }
        var qualifiers = new Qualifiers(protocol, direction, address);
        return (ParseId(qualifiers), qualifiers);
    }

    /// <summary>id := nid | number | ( id {and|or id} ) | not id.</summary>
    private FilterNode ParseId(Qualifiers? qualifiers, bool probeOnly = false)
    {
        var token = Current;
        if (IsNot(token) || token.Kind == TokenKind.LeftParen)
        {
            Advance();
            _nesting.Enter(token.Position);
            try
            {
                return IsNot(token) ? new NotNode(ParseId(qualifiers, probeOnly), token.Position) : ParseIdList(qualifiers, probeOnly);
            }
            finally
            {
                _nesting.Leave();
            }
        }
        var id = ParseIdValue();
        if (qualifiers is null)
            throw new FilterSyntaxException(SyntaxError, id.Position);
        return new PrimitiveNode(qualifiers, id);
    }

    /// <summary>The rest of <c>( id {and|or id} )</c>, after the parenthesis.</summary>
    private FilterNode ParseIdList(Qualifiers? qualifiers, bool probeOnly)
    {
        var node = ParseId(qualifiers, probeOnly);
        while (IsAnd(Current) || IsOr(Current))
        {
            var isAnd = IsAnd(Advance());
            var right = ParseId(qualifiers, probeOnly);
            node = isAnd ? new AndNode(node, right) : new OrNode(node, right);
        }
        if (Current.Kind != TokenKind.RightParen)
            throw Error();
        Advance();
        return node;
    }

    private IdValue ParseIdValue()
    {
        var token = Advance();
        switch (token.Kind)
        {
            case TokenKind.Name:
                return new NameId(token.Text, token.Position);
            case TokenKind.Number:
                return new NumberId(token.Number, token.Text, token.Position);
            case TokenKind.HostV4:
                if (Current.Kind == TokenKind.Slash && Peek().Kind == TokenKind.Number)
                {
                    Advance();
                    return new V4Id(token.Text, Advance().Number, null, token.Position);
                }
                if (Current.Is(Keyword.Mask) && Peek().Kind == TokenKind.HostV4)
                {
                    Advance();
                    return new V4Id(token.Text, null, Advance().Text, token.Position);
                }
                return new V4Id(token.Text, null, null, token.Position);
            case TokenKind.HostV6:
                if (Current.Kind == TokenKind.Slash && Peek().Kind == TokenKind.Number)
                {
                    Advance();
                    return new V6Id(token.Text, Advance().Number, token.Position);
                }
                return new V6Id(token.Text, null, token.Position);
            case TokenKind.Mac:
                return new MacId(token.Text, token.Position);
            case TokenKind.Dollar:
                return new DollarId(token.Text, token.Position);
            default:
                _index--;
                throw Error();
        }
    }

    private FilterNode ParseRelation()
    {
        var arithmetic = new ArithmeticParser(_tokens, _index, _nesting);
        var left = arithmetic.Parse();
        var op = arithmetic.Current.Kind switch
        {
            TokenKind.Greater => RelationOperator.Greater,
            TokenKind.GreaterEqual => RelationOperator.GreaterEqual,
            TokenKind.Equal => RelationOperator.Equal,
            TokenKind.Less => RelationOperator.Less,
            TokenKind.LessEqual => RelationOperator.LessEqual,
            TokenKind.NotEqual => RelationOperator.NotEqual,
            _ => throw new FilterSyntaxException(SyntaxError, arithmetic.Current.Position),
        };
        var at = arithmetic.Current.Position;
        arithmetic.Advance();
        var right = arithmetic.Parse();
        _index = arithmetic.Index;
        return new RelationNode(op, left, right, at);
    }

    private FilterNode ParseOther()
    {
        var token = Current;
        switch (token.Keyword)
        {
            case Keyword.Broadcast or Keyword.Multicast:
                Advance();
                return new CastNode(Keyword.None, token.Keyword == Keyword.Multicast, token.Position);
            case Keyword.Less or Keyword.Greater:
                Advance();
                return new LengthNode(token.Keyword == Keyword.Less, ExpectNumber(), token.Position);
            case Keyword.Byte:
            {
                Advance();
                var index = ExpectNumber();
                var op = Advance();
                var symbol = op.Kind switch
                {
                    TokenKind.Ampersand => '&',
                    TokenKind.Pipe => '|',
                    TokenKind.Less => '<',
                    TokenKind.Greater => '>',
                    TokenKind.Equal => '=',
                    _ => throw new FilterSyntaxException(SyntaxError, op.Position),
                };
                return new ByteNode(index, symbol, ExpectNumber(), token.Position);
            }
            case Keyword.Inbound or Keyword.Outbound:
                Advance();
                return new DirectionNode(token.Keyword == Keyword.Outbound, token.Position);
            case Keyword.IfIndex:
                Advance();
                return new InterfaceIndexNode(ExpectNumber(), token.Position);
            case Keyword.Vlan or Keyword.Mpls or Keyword.PppoeSession or Keyword.Geneve or Keyword.Vxlan:
                Advance();
                return new EncapsulationNode(token.Keyword, OptionalNumber(), token.Position);
            case Keyword.PppoeDiscovery:
                Advance();
                return new EncapsulationNode(token.Keyword, null, token.Position);
            case Keyword.Llc:
                Advance();
                if (Current.Kind == TokenKind.Name || Current.Is(Keyword.PfRuleNumber))
                    return new LlcNode(Advance().Text, token.Position);
                return new LlcNode(null, token.Position);
            case Keyword.Len:
                return ParseRelation();
            default:
                return ParseUnsupported();
        }
    }

    /// <summary>Primitives of other link types: consume their operands so the error names the primitive.</summary>
    private FilterNode ParseUnsupported()
    {
        var token = Advance();
        if (token.Kind != TokenKind.Keyword)
            throw new FilterSyntaxException(SyntaxError, token.Position);
        switch (token.Keyword)
        {
            case Keyword.Type or Keyword.Subtype or Keyword.Dir or Keyword.PfIfName or Keyword.PfRuleSet
                or Keyword.PfReason or Keyword.PfAction or Keyword.PfRuleNumber or Keyword.PfSubRuleNumber:
                if (Current.Kind is TokenKind.Name or TokenKind.Number)
                    Advance();
                else
                    throw Error();
                if (token.Keyword == Keyword.Type && Current.Is(Keyword.Subtype))
                {
                    Advance();
                    Advance();
                }
                break;
            case Keyword.Vpi or Keyword.Vci or Keyword.Sio or Keyword.Opc or Keyword.Dpc or Keyword.Sls
                or Keyword.Hsio or Keyword.Hopc or Keyword.Hdpc or Keyword.Hsls:
                SkipFieldValue();
                break;
            case Keyword.BatAdv:
                while (Current.Kind is TokenKind.Number or TokenKind.Name)
                    Advance();
                break;
            case Keyword.Lane or Keyword.Metac or Keyword.Bcc or Keyword.Oam or Keyword.Oamf4 or Keyword.Oamf4Ec
                or Keyword.Oamf4Sc or Keyword.Sc or Keyword.Ilmic or Keyword.ConnectMsg or Keyword.MetaConnect
                or Keyword.Fisu or Keyword.Lssu or Keyword.Msu or Keyword.Hfisu or Keyword.Hlssu or Keyword.Hmsu:
                break;
            default:
                throw new FilterSyntaxException(SyntaxError, token.Position);
        }
        return new UnsupportedNode(token.Keyword, token.Text, token.Position);
    }

    private void SkipFieldValue()
    {
        if (Current.Kind == TokenKind.Number)
        {
            Advance();
            return;
        }
        if (IsRelation(Current))
        {
            Advance();
            ExpectNumber();
            return;
        }
        if (Current.Kind == TokenKind.LeftParen)
        {
            while (Current.Kind is not (TokenKind.RightParen or TokenKind.End))
                Advance();
            if (Current.Kind == TokenKind.End)
                throw Error();
            Advance();
            return;
        }
        throw Error();
    }

    private uint ExpectNumber()
    {
        if (Current.Kind == TokenKind.Number)
            return Advance().Number;
        if (Current.Kind == TokenKind.LeftParen)
        {
            Advance();
            var value = ExpectNumber();
            if (Current.Kind != TokenKind.RightParen)
                throw Error();
            Advance();
            return value;
        }
        throw Error();
    }

    private uint? OptionalNumber() =>
        Current.Kind == TokenKind.Number || (Current.Kind == TokenKind.LeftParen && Peek().Kind == TokenKind.Number)
            ? ExpectNumber()
            : null;
}
