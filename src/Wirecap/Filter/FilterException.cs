namespace Wirecap.Filter;

/// <summary>
/// A filter expression could not be compiled. The message uses libpcap's wording where libpcap
/// has one, so users of tcpdump recognise it.
/// </summary>
public class FilterException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="position">Zero-based character offset in the expression, or -1 when not tied to one place.</param>
    public FilterException(string message, int position = -1)
        : base(position >= 0 ? $"{message} (at column {position + 1})" : message)
    {
        Reason = message;
        Position = position;
    }

    /// <summary>The message without the position suffix.</summary>
    public string Reason { get; }

    /// <summary>Zero-based character offset of the offending text, or -1.</summary>
    public int Position { get; }

    /// <summary>One-based column of the offending text, or 0 when unknown.</summary>
    public int Column => Position + 1;
}

/// <summary>The expression is not well formed (a lexical or grammar error).</summary>
public sealed class FilterSyntaxException : FilterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="position">Zero-based character offset in the expression.</param>
    public FilterSyntaxException(string message, int position) : base(message, position)
    {
    }
}
