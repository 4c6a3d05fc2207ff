namespace Wirecap.Nats;

/// <summary>What a <see cref="JetStreamCaptureSource"/> reads and where it starts.</summary>
public sealed class JetStreamSourceOptions
{
    /// <summary>The subject the capture was published to.</summary>
    public required string Subject { get; init; }

    /// <summary>The stream that holds it, or null for the one that takes <see cref="Subject"/>.</summary>
    public string? Stream { get; init; }

    /// <summary>The durable consumer's name: the server remembers what it acknowledged, from the stream's start on.</summary>
    public string Durable { get; init; } = "wirecap";

    /// <summary>What a checkpoint says was already taken (its batches are acknowledged and skipped, its last batch
    /// resumed after the packets taken), or null.</summary>
    public JetStreamCheckpoint? ResumeAfter { get; init; }

    /// <summary>How many messages the server may send ahead of the acknowledgements.</summary>
    public int PrefetchMessages { get; init; } = 64;

    /// <summary>How long a delivered batch may go unacknowledged before the server sends it again.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening waits for a cluster that cannot answer yet (a node down, a leader being elected).</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Subject, nameof(Subject));
        ArgumentException.ThrowIfNullOrWhiteSpace(Durable, nameof(Durable));
        ArgumentOutOfRangeException.ThrowIfLessThan(PrefetchMessages, 1, nameof(PrefetchMessages));
    }
}
