using System.Net;

namespace Wirecap.Ncap;

/// <summary>What a receiver remembers about one sender endpoint.</summary>
internal sealed class NcapSenderState(EndPoint endPoint)
{
    /// <summary>The sender, created once and handed out with each of its messages.</summary>
    public EndPoint EndPoint { get; } = endPoint;

    /// <summary>A header with the supported version was seen.</summary>
    public bool HeaderSeen { get; set; }

    /// <summary>A sequence trailer was seen; <see cref="LastSequence"/> is valid.</summary>
    public bool HasSequence { get; set; }

    public uint LastSequence { get; set; }

    /// <summary>Receive counter at the last datagram (for forgetting the quietest sender).</summary>
    public long LastHeard { get; set; }
}
