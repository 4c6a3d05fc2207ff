namespace Wirecap.Ncap;

/// <summary>How a source changes a message's user1/user2 field (ncaptool's <c>-1</c>/<c>-2</c>).</summary>
public enum NcapUserOperation
{
    /// <summary>Replace the value.</summary>
    Set,
    /// <summary>Set the given bits (ncaptool <c>+value</c>).</summary>
    Or,
    /// <summary>Clear the given bits (ncaptool <c>-value</c>).</summary>
    Clear,
}

/// <summary>A provenance stamp applied to every message of a source (sensor, site or channel ids).</summary>
public readonly record struct NcapUserStamp(NcapUserOperation Operation, uint Value)
{
    /// <summary>The field after the stamp.</summary>
    public uint Apply(uint field) => Operation switch
    {
        NcapUserOperation.Set => Value,
        NcapUserOperation.Or => field | Value,
        _ => field & ~Value,
    };

    /// <summary>Parses ncaptool's form: <c>VALUE</c> sets, <c>+VALUE</c> ORs, <c>-VALUE</c> clears (decimal or 0x hex).</summary>
    public static NcapUserStamp Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var operation = text[0] switch { '+' => NcapUserOperation.Or, '-' => NcapUserOperation.Clear, _ => NcapUserOperation.Set };
        var number = operation == NcapUserOperation.Set ? text : text[1..];
        bool hex = number.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!uint.TryParse(hex ? number[2..] : number, hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out uint value))
            throw new FormatException($"'{text}' is not a user value ([+|-]number, decimal or 0x hex)");
        return new NcapUserStamp(operation, value);
    }
}
