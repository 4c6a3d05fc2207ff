namespace Wirecap.Filter.Syntax;

/// <summary>
/// Parses arithmetic with yacc's precedence from libpcap: <c>|</c> &lt; <c>&amp;</c> &lt; shifts &lt;
/// <c>+ -</c> &lt; <c>* /</c> &lt; unary minus. <c>%</c> and <c>^</c> carry no precedence there, so the
/// parser always shifts them: they take the operand just before them and everything after them.
/// </summary>
internal sealed class ArithmeticParser
{
    private readonly List<Token> _tokens;
    private readonly Nesting _nesting;

    public ArithmeticParser(List<Token> tokens, int index, Nesting nesting)
    {
        _tokens = tokens;
        Index = index;
        _nesting = nesting;
    }

    public int Index { get; private set; }

    public Token Current => _tokens[Index];

    public void Advance() => Index++;

    public static bool IsBinaryOperator(TokenKind kind) => Level(kind) > 0 || kind is TokenKind.Percent or TokenKind.Caret;

    private static int Level(TokenKind kind) => kind switch
    {
        TokenKind.Pipe => 1,
        TokenKind.Ampersand => 2,
        TokenKind.ShiftLeft or TokenKind.ShiftRight => 3,
        TokenKind.Plus or TokenKind.Minus => 4,
        TokenKind.Star or TokenKind.Slash => 5,
        _ => 0,
    };

    public ArithmeticNode Parse() => ParseLevel(1);

    private ArithmeticNode ParseLevel(int minimum)
    {
        var left = ParseUnary();
        while (true)
        {
            var level = Level(Current.Kind);
            if (level == 0 || level < minimum)
                return left;
            var op = Operator(Current.Kind);
            Advance();
            var right = ParseLevel(level + 1);
            left = new BinaryArithmetic(op, left, right);
        }
    }

    private ArithmeticNode ParseUnary()
    {
        if (Current.Kind == TokenKind.Minus)
        {
            var at = Current.Position;
            Advance();
            return new NegateArithmetic(Nested(at, ParseUnary), at);
        }
        var primary = ParsePrimary();
        if (Current.Kind is TokenKind.Percent or TokenKind.Caret)
        {
            var op = Current.Kind == TokenKind.Percent ? ArithmeticOperator.Modulo : ArithmeticOperator.Xor;
            var at = Current.Position;
            Advance();
            return new BinaryArithmetic(op, primary, Nested(at, Parse));
        }
        return primary;
    }

    private ArithmeticNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new ConstantArithmetic(token.Number, token.Position);
            case TokenKind.LeftParen:
            {
                Advance();
                var inner = Nested(token.Position, Parse);
                Expect(TokenKind.RightParen);
                return inner;
            }
            case TokenKind.Keyword when token.Keyword == Keyword.Len:
                Advance();
                return new LengthArithmetic(token.Position);
            case TokenKind.Keyword when ProtocolNames.IsProtocol(token.Keyword):
            {
                Advance();
                var bracket = Current.Position;
                Expect(TokenKind.LeftBracket);
                var index = Nested(bracket, Parse);
                uint size = 1;
                if (Current.Kind == TokenKind.Colon)
                {
                    Advance();
                    if (Current.Kind != TokenKind.Number)
                        throw Error();
                    size = Current.Number;
                    Advance();
                }
                Expect(TokenKind.RightBracket);
                return new LoadArithmetic(token.Keyword, index, size, token.Position);
            }
            default:
                throw Error();
        }
    }

    /// <summary>Parses a nested operand, one level deeper.</summary>
    private ArithmeticNode Nested(int position, Func<ArithmeticNode> parse)
    {
        _nesting.Enter(position);
        try
        {
            return parse();
        }
        finally
        {
            _nesting.Leave();
        }
    }

    private void Expect(TokenKind kind)
    {
        if (Current.Kind != kind)
            throw Error();
        Advance();
    }

    private FilterSyntaxException Error() => new("can't parse filter expression: syntax error", Current.Position);

    private static ArithmeticOperator Operator(TokenKind kind) => kind switch
    {
        TokenKind.Pipe => ArithmeticOperator.Or,
        TokenKind.Ampersand => ArithmeticOperator.And,
        TokenKind.ShiftLeft => ArithmeticOperator.ShiftLeft,
        TokenKind.ShiftRight => ArithmeticOperator.ShiftRight,
        TokenKind.Plus => ArithmeticOperator.Add,
        TokenKind.Minus => ArithmeticOperator.Subtract,
        TokenKind.Star => ArithmeticOperator.Multiply,
        _ => ArithmeticOperator.Divide,
    };
}
