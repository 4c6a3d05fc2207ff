namespace Wirecap.Linux;

/// <summary>Packet counts of one capture since it was opened (running totals: the kernel resets its own counters
/// each time they are read, so they are accumulated here).</summary>
/// <param name="Received">Packets the kernel accepted for this socket, including those it then dropped
/// (libpcap's <c>ps_recv</c>, tcpdump's "received by filter").</param>
/// <param name="DroppedByKernel">Packets lost because the ring was full (tcpdump's "dropped by kernel").</param>
/// <param name="DroppedByFilter">Packets rejected by a filter run in this process (when the kernel refused the
/// program, or for frames already queued when the filter changed).</param>
/// <param name="Delivered">Frames handed to the consumer.</param>
public readonly record struct CaptureStatistics(long Received, long DroppedByKernel, long DroppedByFilter, long Delivered)
{
    /// <summary>Bytes of the frames handed to the consumer, as captured (after the snap length).</summary>
    public long DeliveredBytes { get; init; }
}
