namespace Wirecap.Formats.Ncap;

/// <summary>Options of <see cref="NcapReader"/>.</summary>
public sealed class NcapReaderOptions
{
    /// <summary>Messages longer than this are read through and counted in
    /// <see cref="NcapReader.SkippedMessages"/> instead of being delivered, as ncap does with
    /// messages above its <c>maxmsg</c>. Default 1 MiB (ncaptool uses 70000); at most 256 MiB.</summary>
    public int MaxMessageLength
    {
        get => _maxMessageLength;
        init => _maxMessageLength = value is >= NcapLayout.FixedLength and <= 256 << 20
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxMessageLength), value, "must be between 28 bytes and 256 MiB");
    }
    private readonly int _maxMessageLength = 1 << 20;

    /// <summary>Shared default options.</summary>
    public static NcapReaderOptions Default { get; } = new();
}
