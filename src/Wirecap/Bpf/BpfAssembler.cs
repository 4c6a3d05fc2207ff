using System.Globalization;
using System.Text.RegularExpressions;

namespace Wirecap.Bpf;

/// <summary>
/// Reads a program back from any of the forms <see cref="BpfDisassembler"/> (and <c>tcpdump -d/-dd/-ddd</c>)
/// print. The form is recognised from the first non-blank line: <c>(</c> starts a listing, <c>{</c> a C
/// array, a number the decimal form. The listing form does not carry fields an instruction ignores
/// (k of <c>tax</c>, jt/jf of a statement, k of an <c>unimp</c> opcode): they read back as 0.
/// The result is not validated; pass it to <see cref="BpfProgram.Create"/>.
/// </summary>
public static partial class BpfAssembler
{
    /// <summary>Parses a program, recognising its form.</summary>
    /// <exception cref="BpfAssemblyException">The text is not a program; the message names the line.</exception>
    public static BpfInstruction[] Parse(string text) => Parse(text, out _);

    /// <summary>Parses a program and reports which form it was in.</summary>
    /// <exception cref="BpfAssemblyException">The text is not a program; the message names the line.</exception>
    public static BpfInstruction[] Parse(string text, out BpfTextFormat format)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<(int Number, string Text)>();
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length > 0)
                lines.Add((number, line));
        }
        if (lines.Count == 0)
            throw new BpfAssemblyException(0, "the text holds no instructions");

        char first = lines[0].Text[0];
        format = first switch
        {
            '(' => BpfTextFormat.Listing,
            '{' => BpfTextFormat.CArray,
            _ when char.IsAsciiDigit(first) => BpfTextFormat.Decimal,
            _ => throw new BpfAssemblyException(lines[0].Number,
                $"'{lines[0].Text}' starts neither a tcpdump -d listing '(000) ...', a -dd array '{{ 0x.., ... }},' nor a -ddd count"),
        };
        return format switch
        {
            BpfTextFormat.Listing => ParseListing(lines),
            BpfTextFormat.CArray => ParseCArray(lines),
            _ => ParseDecimal(lines),
        };
    }

    private static BpfInstruction[] ParseDecimal(List<(int Number, string Text)> lines)
    {
        var (countLine, countText) = lines[0];
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new BpfAssemblyException(countLine, $"expected the instruction count, found '{countText}'");
        if (count != lines.Count - 1)
            throw new BpfAssemblyException(countLine, $"the count says {count} instructions but {lines.Count - 1} follow");
        var program = new BpfInstruction[count];
        for (int i = 0; i < count; i++)
        {
            var (lineNumber, line) = lines[i + 1];
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 4)
                throw new BpfAssemblyException(lineNumber, $"expected 'code jt jf k', found '{line}'");
            program[i] = Instruction(lineNumber, fields);
        }
        return program;
    }

    private static BpfInstruction[] ParseCArray(List<(int Number, string Text)> lines)
    {
        var program = new BpfInstruction[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            var (lineNumber, line) = lines[i];
            Match match = CArrayLine().Match(line);
            if (!match.Success)
                throw new BpfAssemblyException(lineNumber, $"expected '{{ code, jt, jf, k }},', found '{line}'");
            program[i] = Instruction(lineNumber, [match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, match.Groups[4].Value]);
        }
        return program;
    }

    private static BpfInstruction Instruction(int lineNumber, string[] fields)
    {
        uint code = Number(lineNumber, fields[0], "code");
        uint jt = Number(lineNumber, fields[1], "jt");
        uint jf = Number(lineNumber, fields[2], "jf");
        uint k = Number(lineNumber, fields[3], "k");
        if (code > ushort.MaxValue || jt > byte.MaxValue || jf > byte.MaxValue)
            throw new BpfAssemblyException(lineNumber, "code must fit 16 bits and jt/jf 8 bits");
        return new BpfInstruction((ushort)code, (byte)jt, (byte)jf, k);
    }

    private static BpfInstruction[] ParseListing(List<(int Number, string Text)> lines)
    {
        var program = new BpfInstruction[lines.Count];
        for (int i = 0; i < lines.Count; i++)
            program[i] = BpfListingLine.Parse(lines[i].Number, lines[i].Text, i);
        return program;
    }

    /// <summary>
    /// A number as the text forms write it: 0x-prefixed hex, or decimal, optionally negative
    /// (two's complement, so "-1" is 0xffffffff).
    /// </summary>
    internal static uint Number(int lineNumber, string text, string what)
    {
        string digits = text.Trim();
        bool negative = digits.StartsWith('-');
        if (negative)
            digits = digits[1..];
        bool parsed;
        ulong value;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            parsed = ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        else
            parsed = ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!parsed || value > (negative ? 0x80000000UL : uint.MaxValue))
            throw new BpfAssemblyException(lineNumber, $"{what} '{text}' is not a 32-bit number");
        return negative ? unchecked(0u - (uint)value) : (uint)value;
    }

    [GeneratedRegex(@"^\{\s*([^,\s]+)\s*,\s*([^,\s]+)\s*,\s*([^,\s]+)\s*,\s*([^,\s}]+)\s*\}\s*,?$")]
    private static partial Regex CArrayLine();
}
