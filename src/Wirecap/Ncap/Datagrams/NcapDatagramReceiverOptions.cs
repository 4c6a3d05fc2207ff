namespace Wirecap.Ncap;

/// <summary>Limits of an <see cref="NcapDatagramReceiver"/>.</summary>
public sealed record NcapDatagramReceiverOptions
{
    /// <summary>Ignore a sender's messages until its file-header datagram was seen, as ncap does.
    /// On by default.</summary>
    public bool RequireHeader { get; init; } = true;

    /// <summary>Senders whose state (header seen, last sequence number) is kept; when more send,
    /// the one heard from least recently is forgotten (and must send a header again).</summary>
    public int MaxSenders { get; init; } = 4096;

    /// <summary>A sequence number this far or more ahead of the last one (or behind it) is taken as
    /// a restarted sender, not as lost datagrams: the gap count is not raised and counting restarts.</summary>
    public uint MaxSequenceJump { get; init; } = 1 << 20;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSenders, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSequenceJump, 2u);
    }
}
