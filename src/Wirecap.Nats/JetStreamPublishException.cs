namespace Wirecap.Nats;

/// <summary>A batch the stream did not acknowledge within <see cref="JetStreamSinkOptions.PublishTimeout"/>: its
/// packets may not be stored. The sink counts it in <see cref="JetStreamCaptureSink.BatchesUnacknowledged"/>.</summary>
public sealed class JetStreamPublishException(string message, Exception? inner) : IOException(message, inner);
