using System.Globalization;

namespace Capture.Cli;

/// <summary>ncaptool's <c>-1</c>/<c>-2 [+|-]VALUE</c>: replace a user field with VALUE, OR VALUE
/// into it (+), or clear VALUE's bits (-). VALUE is decimal or 0x-prefixed hexadecimal.</summary>
internal readonly record struct UserStamp(char Operation, uint Value)
{
    public uint Apply(uint field) => Operation switch
    {
        '+' => field | Value,
        '-' => field & ~Value,
        _ => Value,
    };

    public static UserStamp Parse(string text, string option)
    {
        char operation = text.Length > 0 && text[0] is '+' or '-' ? text[0] : '=';
        string number = operation == '=' ? text : text[1..];
        bool parsed = number.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(number.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
            : uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return parsed ? new UserStamp(operation, value)
            : throw new CliUsageException($"invalid value '{text}' for {option} (a 32-bit number, decimal or 0x hex, optionally after + or -)");
    }
}
