namespace Wirecap.Filter.Syntax;

/// <summary>
/// Splits an expression into tokens the way libpcap's scanner does: at each point the longest
/// match among keyword, number, IPv4/IPv6/MAC address and name wins, earlier classes winning ties.
/// </summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i >= text.Length)
                break;
            var token = Next(text, i);
            tokens.Add(token);
            i += token.Text.Length + (token.Kind == TokenKind.Name && text[i] == '\\' ? 1 : 0);
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    private static Token Next(string text, int start)
    {
        var symbol = Symbol(text, start);
        if (symbol is { } s)
            return s;
        var c = text[start];
        if (c == '\\')
        {
            var end = start + 1;
            while (end < text.Length && " !()\n\t".IndexOf(text[end]) < 0)
                end++;
            if (end == start + 1)
                throw new FilterSyntaxException("can't parse filter expression: syntax error", start);
            return new Token(TokenKind.Name, text.Substring(start + 1, end - start - 1), start);
        }
        if (c == '$')
        {
            var end = start + 1;
            while (end < text.Length && end - start <= 2 && Uri.IsHexDigit(text[end]))
                end++;
            if (end == start + 1)
                throw new FilterSyntaxException("illegal character '$'", start);
            return new Token(TokenKind.Dollar, text[start..end], start);
        }
        if (!char.IsAsciiLetterOrDigit(c) && c != ':')
            throw new FilterSyntaxException($"illegal character '{c}'", start);

        var idLength = AddressSyntax.NameLength(text, start);
        var numberLength = AddressSyntax.NumberLength(text, start);
        var v4Length = AddressSyntax.DottedV4Length(text, start);
        var macLength = AddressSyntax.MacLength(text, start);
        var v6Length = AddressSyntax.V6Length(text, start);
        var best = Math.Max(Math.Max(idLength, numberLength), Math.Max(v4Length, Math.Max(macLength, v6Length)));
        if (best == 0)
            throw new FilterSyntaxException($"illegal character '{c}'", start);
        var word = text.Substring(start, best);
        if (idLength == best && KeywordTable.TryGetKeyword(word, out var keyword))
            return new Token(TokenKind.Keyword, word, start, keyword);
        if (numberLength == best)
            return new Token(TokenKind.Number, word, start, Number: NumberParser.Parse(word, start));
        if (v4Length == best)
            return new Token(TokenKind.HostV4, word, start);
        if (macLength == best)
            return new Token(TokenKind.Mac, word, start);
        if (v6Length == best)
            return new Token(TokenKind.HostV6, word, start);
        if (KeywordTable.TryGetConstant(word, out var constant))
            return new Token(TokenKind.Number, word, start, Number: constant);
        return new Token(TokenKind.Name, word, start);
    }

    private static Token? Symbol(string text, int i)
    {
        var c = text[i];
        var n = i + 1 < text.Length ? text[i + 1] : '\0';
        (TokenKind kind, int length)? match = (c, n) switch
        {
            ('>', '=') => (TokenKind.GreaterEqual, 2),
            ('<', '=') => (TokenKind.LessEqual, 2),
            ('!', '=') => (TokenKind.NotEqual, 2),
            ('=', '=') => (TokenKind.Equal, 2),
            ('<', '<') => (TokenKind.ShiftLeft, 2),
            ('>', '>') => (TokenKind.ShiftRight, 2),
            ('&', '&') => (TokenKind.AndAnd, 2),
            ('|', '|') => (TokenKind.OrOr, 2),
            ('>', _) => (TokenKind.Greater, 1),
            ('<', _) => (TokenKind.Less, 1),
            ('=', _) => (TokenKind.Equal, 1),
            ('!', _) => (TokenKind.Bang, 1),
            ('(', _) => (TokenKind.LeftParen, 1),
            (')', _) => (TokenKind.RightParen, 1),
            ('[', _) => (TokenKind.LeftBracket, 1),
            (']', _) => (TokenKind.RightBracket, 1),
            ('+', _) => (TokenKind.Plus, 1),
            ('-', _) => (TokenKind.Minus, 1),
            ('*', _) => (TokenKind.Star, 1),
            ('/', _) => (TokenKind.Slash, 1),
            ('%', _) => (TokenKind.Percent, 1),
            ('&', _) => (TokenKind.Ampersand, 1),
            ('|', _) => (TokenKind.Pipe, 1),
            ('^', _) => (TokenKind.Caret, 1),
            (':', _) when !AddressSyntax.StartsV6(text, i) => (TokenKind.Colon, 1),
            _ => null,
        };
        return match is { } m ? new Token(m.kind, text.Substring(i, m.length), i) : null;
    }
}
