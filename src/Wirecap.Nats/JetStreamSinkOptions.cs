using Wirecap.Formats;

namespace Wirecap.Nats;

/// <summary>Where and how a <see cref="JetStreamCaptureSink"/> publishes.</summary>
public sealed class JetStreamSinkOptions
{
    /// <summary>The subject published to; a stream must take it (see <see cref="JetStreamCaptureSink.EnsureStreamAsync"/>).</summary>
    public required string Subject { get; init; }

    /// <summary>pcapng sections or NCAP streams.</summary>
    public JetStreamBatchFormat Format { get; init; } = JetStreamBatchFormat.PcapNg;

    /// <summary>The interfaces packets refer to (pcapng), described again in every batch.</summary>
    public IReadOnlyList<CaptureInterface> Interfaces { get; init; } = [new CaptureInterface()];

    /// <summary>Most packets (or messages) in one batch.</summary>
    public int MaxBatchPackets { get; init; } = 1024;

    /// <summary>A batch is published once it holds this many bytes (under the server's max_payload, 1 MiB by default).</summary>
    public int MaxBatchBytes { get; init; } = 512 * 1024;

    /// <summary>How long one batch may go unacknowledged, across retries, before the sink gives up with a
    /// <see cref="JetStreamPublishException"/>: the user's limit on waiting out a failing node or a leader election.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Names this producer in each batch's message id, so the stream drops a retried batch it had already
    /// stored (within its duplicate window) instead of keeping it twice.</summary>
    public string ProducerId { get; init; } = Guid.NewGuid().ToString("N");

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Subject, nameof(Subject));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchPackets, 1, nameof(MaxBatchPackets));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchBytes, 1, nameof(MaxBatchBytes));
        if (Format == JetStreamBatchFormat.PcapNg && Interfaces.Count == 0)
            throw new ArgumentException("pcapng batches need at least one interface", nameof(Interfaces));
    }
}
