namespace Wirecap.Filter;

/// <summary>How an error message shows a token: whole up to 64 characters, else its first 64 and "...", so a
/// megabyte-long name cannot make a megabyte-long message.</summary>
internal static class TokenQuote
{
    public const int MaxLength = 64;

    public static string Of(string? token) =>
        token is null ? "" : token.Length <= MaxLength ? token : string.Concat(token.AsSpan(0, MaxLength), "...");
}
