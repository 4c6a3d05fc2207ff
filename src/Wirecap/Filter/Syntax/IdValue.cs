namespace Wirecap.Filter.Syntax;

/// <summary>The operand of a qualified primitive, in the lexical form it was written.</summary>
internal abstract record IdValue(string Text, int Position);

internal sealed record NameId(string Name, int At) : IdValue(Name, At);

internal sealed record NumberId(uint Value, string Literal, int At) : IdValue(Literal, At);

/// <summary>Dotted IPv4 with 2–4 parts, optionally with <c>/len</c> or <c>mask M</c>.</summary>
internal sealed record V4Id(string Address, uint? PrefixLength, string? Mask, int At)
    : IdValue(PrefixLength is { } p ? $"{Address}/{p}" : Mask is { } m ? $"{Address} mask {m}" : Address, At);

internal sealed record V6Id(string Address, uint? PrefixLength, int At)
    : IdValue(PrefixLength is { } p ? $"{Address}/{p}" : Address, At);

internal sealed record MacId(string Address, int At) : IdValue(Address, At);

/// <summary><c>$hh</c>.</summary>
internal sealed record DollarId(string Literal, int At) : IdValue(Literal, At);
