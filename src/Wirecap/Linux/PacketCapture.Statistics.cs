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
            return ReadStatistics();
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Like <see cref="GetStatistics"/>, but false instead of an exception once the capture is closed
    /// (for metrics collected on another thread).</summary>
    internal bool TryGetStatistics(out CaptureStatistics statistics)
    {
        statistics = default;
        if (Volatile.Read(ref _disposed) == 1 || !TryAcquire()) return false;
        try
        {
            statistics = ReadStatistics();
            return true;
        }
        finally
        {
            Release();
        }
    }

    private CaptureStatistics ReadStatistics()
    {
        lock (_statisticsLock)
        {
            var kernel = _socket.ReadStatistics();
            _received += kernel.Packets;
            _droppedByKernel += kernel.Drops;
            return new CaptureStatistics(_received, _droppedByKernel, Volatile.Read(ref _droppedByFilter), Volatile.Read(ref _delivered))
            {
                DeliveredBytes = Volatile.Read(ref _deliveredBytes),
            };
        }
    }
}
