namespace Wirecap.Decoding;

/// <summary>Limits of <see cref="TcpStreamTracker"/>.</summary>
public sealed class TcpStreamOptions
{
    /// <summary>Directions tracked at once; beyond it the least recently seen is forgotten. Default 65,536.</summary>
    public int MaxStreams { get; init; } = 65_536;

    /// <summary>A direction idle this long (packet time) is forgotten. Default 5 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
