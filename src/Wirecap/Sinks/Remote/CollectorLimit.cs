namespace Wirecap.Sinks;

/// <summary>Which of a <see cref="TcpCaptureCollector"/>'s limits or checks refused a connection or cut a stream.</summary>
public enum CollectorLimit
{
    /// <summary><see cref="TcpCaptureCollectorOptions.MaxConcurrentStreams"/> streams were already open.</summary>
    ConcurrentStreams,
    /// <summary>The stream's file reached <see cref="TcpCaptureCollectorOptions.MaxBytesPerStream"/>.</summary>
    StreamBytes,
    /// <summary>The directory reached <see cref="TcpCaptureCollectorOptions.MaxDirectoryBytes"/>.</summary>
    DirectoryBytes,
    /// <summary>With <see cref="TcpCaptureCollectorOptions.Tls"/>: the sender presented no client certificate the trusted
    /// CA vouches for, spoke no TLS, or did not finish the handshake within <see cref="TcpCaptureCollectorOptions.HandshakeTimeout"/>.</summary>
    Authentication,
    /// <summary>Nothing arrived on the stream for <see cref="TcpCaptureCollectorOptions.IdleTimeout"/>.</summary>
    IdleTimeout,
}

/// <summary>A stream cut by a collector limit (in <see cref="CollectedStream.Error"/>): its file holds the packets
/// received before the one that would have crossed it.</summary>
public sealed class CollectorLimitException(CollectorLimit limit, string message) : IOException(message)
{
    /// <summary>The limit that was reached.</summary>
    public CollectorLimit Limit { get; } = limit;
}

/// <summary>A connection a collector closed without reading from it.</summary>
/// <param name="Remote">The sender.</param>
/// <param name="Limit">The limit that refused it.</param>
/// <param name="Reason">The reason, in words (for a log).</param>
public sealed record RefusedStream(System.Net.EndPoint? Remote, CollectorLimit Limit, string Reason);
