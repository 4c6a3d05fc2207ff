namespace Wirecap.Ncap;

/// <summary>How an <see cref="NcapDatagramSender"/> paces and frames its datagrams. The defaults
/// are ncaptool's (<c>dgsend</c>): a header every 100 messages or 5 seconds, 5 seconds of silence
/// after a network error.</summary>
public sealed record NcapDatagramSenderOptions
{
    /// <summary>Send the file header again once this many messages went out since the last one.</summary>
    public int HeaderEveryMessages { get; init; } = 100;

    /// <summary>Send the file header again once this much time passed since the last one.</summary>
    public TimeSpan HeaderInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the sender stays silent after a transient network error (network down
    /// or unreachable, no buffer space, timeout, connection refused, host down or unreachable).</summary>
    public TimeSpan MuteDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most messages per second, or null for no limit. The sender blocks to keep under it.</summary>
    public double? MaxMessagesPerSecond { get; init; }

    /// <summary>Append an 8-byte sequence trailer ("Nseq" + big-endian counter) after each message so
    /// that <see cref="NcapDatagramReceiver"/> can count lost datagrams. ncap receivers ignore bytes
    /// after the message length, so ncaptool still reads such datagrams. On by default.</summary>
    public bool SequenceTrailer { get; init; } = true;

    /// <summary>Send with MSG_DONTROUTE (ncaptool's default unless <c>-r</c>): only to directly
    /// reachable hosts. Off by default.</summary>
    public bool DontRoute { get; init; }

    /// <summary>The clock for header intervals, muting and rate limiting (injectable for tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (HeaderEveryMessages < 1)
            throw new ArgumentOutOfRangeException(nameof(HeaderEveryMessages), HeaderEveryMessages, "the header must be repeated after at least 1 message");
        if (HeaderInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(HeaderInterval), HeaderInterval, "the header interval must be positive");
        if (MuteDuration < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MuteDuration), MuteDuration, "the mute duration cannot be negative");
        if (MaxMessagesPerSecond is { } rate && !(rate > 0 && double.IsFinite(rate)))
            throw new ArgumentOutOfRangeException(nameof(MaxMessagesPerSecond), rate, "the rate limit must be a positive number of messages per second");
        ArgumentNullException.ThrowIfNull(Time);
    }
}
