using Wirecap.Formats;

namespace Wirecap.Sinks;

/// <summary>
/// Applies a <see cref="FlushPolicy"/> to a writer: counts what was written since the last flush
/// and, with an interval, flushes from a timer. The owner serialises calls with <see cref="Gate"/>.
/// </summary>
internal sealed class FlushScheduler : IDisposable
{
    private readonly FlushPolicy _policy;
    private readonly ITimer? _timer;
    private CaptureWriter? _writer;
    private int _unflushedPackets;
    private long _flushedPosition;
    private bool _disposed;

    public FlushScheduler(FlushPolicy policy, TimeProvider time, object gate)
    {
        _policy = policy;
        Gate = gate;
        if (policy.Interval is { } interval) _timer = time.CreateTimer(_ => FlushIfPending(), null, interval, interval);
    }

    /// <summary>The lock that guards the writer; the timer takes it too.</summary>
    public object Gate { get; }

    /// <summary>Starts scheduling flushes of a new writer (after a file rotation, say).</summary>
    public void Attach(CaptureWriter? writer)
    {
        _writer = writer;
        _unflushedPackets = 0;
        _flushedPosition = writer?.Position ?? 0;
    }

    /// <summary>Call after each packet written.</summary>
    public void Written()
    {
        _unflushedPackets++;
        if ((_policy.Packets is { } packets && _unflushedPackets >= packets)
            || (_policy.Bytes is { } bytes && _writer!.Position - _flushedPosition >= bytes))
            Flush();
    }

    public void Flush()
    {
        if (_writer is null) return;
        _writer.Flush();
        _flushedPosition = _writer.Position;
        _unflushedPackets = 0;
    }

    // A tick that finds the gate taken skips: a write is under way (and flushes by the policy), and
    // waiting would park a pool thread per tick behind a writer blocked on a full socket — enough
    // ticks starve the pool of the threads the receiving end needs to drain that socket.
    private void FlushIfPending()
    {
        if (!Monitor.TryEnter(Gate)) return;
        try
        {
            if (!_disposed && _unflushedPackets > 0) Flush();
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (Gate) _disposed = true;
    }
}
