using Wirecap.Ebpf;

namespace Wirecap.Linux;

/// <summary>Takes one ring-buffer record (a span over the mapped ring, valid during the call); true when it
/// delivered a packet, which counts towards the read's limit.</summary>
internal interface IRingRecordConsumer
{
    bool Consume(ReadOnlySpan<byte> record);
}

/// <summary>
/// The user-space half of every eBPF capture (<see cref="Tc.TcCapture"/>, <see cref="Probes.ProbeCapture"/>): the BPF
/// ring buffer its programs submit records to, mapped and read in place; the per-CPU counter map the programs count
/// their losses in; the clock that turns their <c>bpf_ktime_get_ns</c> stamps into wall time; and the read loop with
/// its stop flag. One thread reads at a time; <see cref="Dispose"/> from another thread leaves the unmapping to it.
/// </summary>
internal sealed class EbpfRingSource : IDisposable
{
    /// <summary>How long a read waits in one poll: the longest a record submitted without a wake-up waits
    /// (<see cref="RingSubmit"/>), and how soon a read notices <see cref="Stop"/>.</summary>
    public const int PollMilliseconds = 10;

    private readonly EbpfRingBuffer _reader;
    private readonly object _gate = new();
    private volatile bool _stopped;
    private int _readerThread;
    private bool _disposed;
    private bool _unmapped;

    private EbpfRingSource(EbpfMap ring, EbpfMap counters, EbpfRingBuffer reader)
    {
        Ring = ring;
        Counters = counters;
        _reader = reader;
    }

    /// <summary>The ring buffer the programs reserve records in.</summary>
    public EbpfMap Ring { get; }

    /// <summary>A per-CPU array of u64 counters the programs increment (losses), summed by <see cref="Counter"/>.</summary>
    public EbpfMap Counters { get; }

    /// <summary>Converts the programs' <c>bpf_ktime_get_ns</c> values to wall time.</summary>
    public KernelClock Clock { get; } = KernelClock.Measure();

    /// <summary>Creates the ring (<paramref name="ringSize"/> rounded up to a power of two of at least a page) and
    /// <paramref name="counterCount"/> per-CPU counters.</summary>
    public static EbpfRingSource Create(int ringSize, string ringName, int counterCount, string countersName)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(ringSize, Environment.SystemPageSize));
        var ring = EbpfMap.CreateRingBuffer(size, ringName);
        EbpfMap? counters = null;
        try
        {
            counters = EbpfMap.CreatePerCpuArray(8, counterCount, countersName);
            return new EbpfRingSource(ring, counters, EbpfRingBuffer.Open(ring));
        }
        catch
        {
            counters?.Dispose();
            ring.Dispose();
            throw;
        }
    }

    /// <summary>The sum over all CPUs of counter <paramref name="index"/>.</summary>
    public long Counter(int index) => (long)Counters.SumCounter((uint)index);

    /// <summary>Makes a running <see cref="Read{TConsumer}"/> return within its poll interval; from any thread.</summary>
    public void Stop() => _stopped = true;

    /// <summary>Hands records to <paramref name="consumer"/> until it has delivered <paramref name="maxPackets"/>
    /// (negative: no limit), <see cref="Stop"/>, cancellation or dispose; returns the number delivered. Each record
    /// goes back to the kernel when the consumer returns.</summary>
    public long Read<TConsumer>(ref TConsumer consumer, long maxPackets, CancellationToken cancellationToken, string owner)
        where TConsumer : struct, IRingRecordConsumer
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, owner);
            if (_readerThread != 0) throw new InvalidOperationException($"{owner} is already being read by another thread");
            _readerThread = Environment.CurrentManagedThreadId;
        }
        // A stop requested before this read began belonged to an earlier read.
        _stopped = false;
        long delivered = 0;
        try
        {
            while (!_stopped && !cancellationToken.IsCancellationRequested && (maxPackets < 0 || delivered < maxPackets))
            {
                if (!_reader.WaitForData(PollMilliseconds)) continue;
                while ((maxPackets < 0 || delivered < maxPackets) && !_stopped && _reader.TryRead(out var record))
                {
                    try
                    {
                        if (consumer.Consume(record)) delivered++;
                    }
                    finally
                    {
                        _reader.Release();
                    }
                }
            }
            return delivered;
        }
        finally
        {
            lock (_gate)
            {
                _readerThread = 0;
                if (_disposed) Unmap();
            }
        }
    }

    /// <summary>Stops a read and frees the maps: at once when no read is running, else as the read leaves the ring
    /// (within its poll interval), so Dispose never waits for the reader, as <see cref="Stop"/> does not.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _stopped = true;
            if (_readerThread == 0) Unmap();
        }
    }

    private void Unmap()
    {
        if (_unmapped) return;
        _unmapped = true;
        _reader.Dispose();
        Counters.Dispose();
        Ring.Dispose();
    }
}
