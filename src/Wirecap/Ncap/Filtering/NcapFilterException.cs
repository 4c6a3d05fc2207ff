namespace Wirecap.Ncap;

/// <summary>An NCAP filter specification that cannot be parsed; <see cref="Position"/> is the character offset of the problem.</summary>
public sealed class NcapFilterException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="position"/> in the specification.</summary>
    public NcapFilterException(string message, int position)
        : base($"NCAP filter, column {position + 1}: {message}") => Position = position;

    /// <summary>Zero-based character offset in the specification.</summary>
    public int Position { get; }
}
