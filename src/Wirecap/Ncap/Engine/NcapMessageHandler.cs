using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

/// <summary>Receives each collected message (a view valid during the call) and the source it came from.</summary>
public delegate void NcapMessageHandler(in NcapRecord message, NcapSource source);

/// <summary>Called on the collecting thread when a watched socket is readable; it should read from it.</summary>
public delegate void NcapWatcher(NcapEngine engine, System.Net.Sockets.Socket socket);

/// <summary>Data of <see cref="NcapEngine.SourceEnded"/>.</summary>
public sealed class NcapSourceEndedEventArgs(NcapSource source) : EventArgs
{
    /// <summary>The source that ended; <see cref="NcapSource.Error"/> says why if it failed.</summary>
    public NcapSource Source { get; } = source;
}
