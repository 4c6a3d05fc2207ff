using Wirecap.Formats;

namespace Wirecap.Sinks;

/// <summary>How a <see cref="TcpCaptureCollector"/> writes and what it lets senders take. A connection past
/// <see cref="MaxConcurrentStreams"/> (or arriving when the directory is full) is refused; a stream that would take its
/// file past <see cref="MaxBytesPerStream"/> or the directory past <see cref="MaxDirectoryBytes"/> is cut before the
/// packet that would cross it, leaving a valid file; so is one silent for <see cref="IdleTimeout"/>. With <see cref="Tls"/>,
/// a sender without an accepted client certificate is refused before its stream has a file. All are counted and raised
/// with their reason.</summary>
public sealed class TcpCaptureCollectorOptions
{
    /// <summary>The format of the files written (pcapng keeps every sender's interfaces).</summary>
    public CaptureFormat Format { get; init; } = CaptureFormat.PcapNg;

    /// <summary>Most connections received at once; more are refused (closed at once) until one ends.</summary>
    public int MaxConcurrentStreams { get; init; } = 64;

    /// <summary>Most bytes one stream's file may hold, or null for no limit.</summary>
    public long? MaxBytesPerStream { get; init; }

    /// <summary>Most bytes the files of the directory may hold together (files already there count), or null for no
    /// limit. The collector counts only the files it finds at <see cref="TcpCaptureCollector.Start"/> and those it writes.</summary>
    public long? MaxDirectoryBytes { get; init; }

    /// <summary>Mutual TLS: every sender must complete a handshake with a client certificate these authorities vouch
    /// for before anything is written (no file is made for one refused), or null for plain TCP.</summary>
    public CaptureTls? Tls { get; init; }

    /// <summary>With <see cref="Tls"/>: the time a sender has to complete the handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A stream on which nothing arrives for this long is cut (its file kept, valid), or null to wait for ever
    /// (a quiet link may send nothing for long).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        if (IdleTimeout is { } idle) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idle, TimeSpan.Zero, nameof(IdleTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentStreams, 1, nameof(MaxConcurrentStreams));
        if (MaxBytesPerStream is { } stream) ArgumentOutOfRangeException.ThrowIfLessThan(stream, 1, nameof(MaxBytesPerStream));
        if (MaxDirectoryBytes is { } directory) ArgumentOutOfRangeException.ThrowIfLessThan(directory, 1, nameof(MaxDirectoryBytes));
    }
}
