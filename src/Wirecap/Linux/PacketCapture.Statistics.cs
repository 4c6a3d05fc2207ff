namespace Wirecap.Linux;

public sealed partial class PacketCapture
{
    private readonly object _statisticsLock = new();
    private long _received;
    private long _droppedByKernel;

    /// <summary>Counts since the capture was opened. Reads (and so resets) the kernel's counters, adding them to
    /// running totals; safe from any thread.</summary>
    public CaptureStatistics GetStatistics()
    {
        AcquireOrThrow();
        try
        {
            lock (_statisticsLock)
            {
                var kernel = _socket.ReadStatistics();
                _received += kernel.Packets;
                _droppedByKernel += kernel.Drops;
                return new CaptureStatistics(_received, _droppedByKernel, Volatile.Read(ref _droppedByFilter), Volatile.Read(ref _delivered));
            }
        }
        finally
        {
            Release();
        }
    }
}
