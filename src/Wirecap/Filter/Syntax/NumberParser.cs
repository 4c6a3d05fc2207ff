namespace Wirecap.Filter.Syntax;

/// <summary>Converts number tokens (decimal, 0x hex, leading-0 octal) with libpcap's overflow messages.</summary>
internal static class NumberParser
{
    public static uint Parse(string text, int position)
    {
        if (text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
            return Accumulate(text, 2, 16, "hexadecimal", position);
        if (text.Length > 1 && text[0] == '0')
            return Accumulate(text, 1, 8, "octal", position);
        return Accumulate(text, 0, 10, "decimal", position);
    }

    private static uint Accumulate(string text, int from, int radix, string name, int position)
    {
        ulong value = 0;
        for (var i = from; i < text.Length; i++)
        {
            var digit = Uri.IsHexDigit(text[i]) ? Convert.ToInt32(text[i].ToString(), 16) : 99;
            if (digit >= radix)
                throw new FilterSyntaxException($"number {TokenQuote.Of(text)} contains non-{name} digit", position);
            value = value * (ulong)radix + (ulong)digit;
            if (value > uint.MaxValue)
                throw new FilterSyntaxException($"{name} number {TokenQuote.Of(text)} overflows 32 bits", position);
        }
        return (uint)value;
    }
}
