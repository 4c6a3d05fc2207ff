namespace Wirecap.Formats;

/// <summary>
/// Counters for one interface at one moment: the pcapng Interface Statistics Block.
/// Counters the block does not carry are null.
/// </summary>
public sealed class InterfaceStatistics : CaptureBlock
{
    /// <summary>The interface (index in the section's interface list) the counters belong to.</summary>
    public int InterfaceId { get; init; }

    /// <summary>When the counters were taken, in nanoseconds since the Unix epoch.</summary>
    public long TimestampNanoseconds { get; init; }

    /// <summary>isb_starttime: start of the capture, nanoseconds since the Unix epoch.</summary>
    public long? StartTimeNanoseconds { get; init; }

    /// <summary>isb_endtime: end of the capture, nanoseconds since the Unix epoch.</summary>
    public long? EndTimeNanoseconds { get; init; }

    /// <summary>isb_ifrecv: packets received by the interface.</summary>
    public ulong? ReceivedByInterface { get; init; }

    /// <summary>isb_ifdrop: packets the interface dropped for lack of resources.</summary>
    public ulong? DroppedByInterface { get; init; }

    /// <summary>isb_filteraccept: packets accepted by the capture filter.</summary>
    public ulong? AcceptedByFilter { get; init; }

    /// <summary>isb_osdrop: packets the operating system dropped.</summary>
    public ulong? DroppedByOs { get; init; }

    /// <summary>isb_usrdeliv: packets delivered to the user.</summary>
    public ulong? DeliveredToUser { get; init; }

    /// <summary>opt_comment values of the block.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>The block's other options (isb_osdrop's relatives the format adds later, custom options), see <see cref="CaptureOption"/>.</summary>
    public IReadOnlyList<CaptureOption> OtherOptions { get; init; } = [];
}
