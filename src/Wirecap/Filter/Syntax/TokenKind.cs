namespace Wirecap.Filter.Syntax;

/// <summary>Lexical classes of the pcap-filter language.</summary>
internal enum TokenKind
{
    End,
    /// <summary>A reserved word; <see cref="Token.Keyword"/> says which.</summary>
    Keyword,
    Number,
    /// <summary>A name (host, network, service, protocol…), possibly a backslash-escaped keyword.</summary>
    Name,
    /// <summary>Dotted IPv4 address with 2 to 4 parts (<c>10.1</c>, <c>1.2.3.4</c>).</summary>
    HostV4,
    HostV6,
    Mac,
    /// <summary><c>$hh</c>: an 8-bit ARCnet/MS-TP address.</summary>
    Dollar,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Colon,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Ampersand,
    Pipe,
    Caret,
    ShiftLeft,
    ShiftRight,
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
    Equal,
    NotEqual,
    Bang,
    AndAnd,
    OrOr,
}

/// <summary>One token with its source span.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, Keyword Keyword = Keyword.None, uint Number = 0)
{
    public bool Is(Keyword keyword) => Kind == TokenKind.Keyword && Keyword == keyword;

    public override string ToString() => Kind == TokenKind.End ? "end of expression" : Text;
}
