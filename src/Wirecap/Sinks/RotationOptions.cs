namespace Wirecap.Sinks;

/// <summary>
/// File rotation, with tcpdump's meaning: <see cref="MaxFileBytes"/> is <c>-C</c> (checked before each
/// packet: once a file is larger, the next packet opens a new one), <see cref="Interval"/> is <c>-G</c>
/// (the path is then a strftime pattern), <see cref="FileCount"/> is <c>-W</c> (with a size limit: a ring
/// of that many files, numbered with leading zeros; with an interval only: stop after that many files).
/// </summary>
public sealed record RotationOptions
{
    /// <summary>Start a new file once the current one is larger than this many bytes (tcpdump -C counts millions of bytes).</summary>
    public long? MaxFileBytes { get; init; }

    /// <summary>Start a new file when this much time has passed since the current one was opened.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>How many files: a ring with <see cref="MaxFileBytes"/>, a limit with <see cref="Interval"/> alone.</summary>
    public int? FileCount { get; init; }

    internal void Validate()
    {
        if (MaxFileBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), "must be positive");
        if (Interval is { } i && i <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Interval), "must be positive");
        if (FileCount is <= 0) throw new ArgumentOutOfRangeException(nameof(FileCount), "must be positive");
        if (FileCount is not null && MaxFileBytes is null && Interval is null)
            throw new ArgumentException("FileCount needs MaxFileBytes or Interval (tcpdump: -W needs -C or -G)");
    }
}
