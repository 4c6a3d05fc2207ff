namespace Wirecap.Ncap;

/// <summary>A token bucket that blocks the caller to hold a message rate. The bucket holds a
/// hundredth of a second's worth of messages (ncaptool's scheduler runs at 100 Hz), so sleeps are
/// few and short bursts pass at once.</summary>
internal sealed class NcapSendPacer
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);
    private readonly TimeProvider _time;
    private readonly double _ratePerTick;
    private readonly double _capacity;
    private double _tokens;
    private long _last;

    public NcapSendPacer(double messagesPerSecond, TimeProvider time)
    {
        _time = time;
        _ratePerTick = messagesPerSecond / time.TimestampFrequency;
        _capacity = Math.Max(1, messagesPerSecond / 100);
        _tokens = _capacity;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes one token, waiting until there is one.</summary>
    public void Take()
    {
        while (true)
        {
            long now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (now - _last) * _ratePerTick);
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return;
            }
            var wait = TimeSpan.FromSeconds((1 - _tokens) / (_ratePerTick * _time.TimestampFrequency));
            if (ReferenceEquals(_time, TimeProvider.System)) Thread.Sleep(wait < OneMillisecond ? OneMillisecond : wait);
            else Task.Delay(wait, _time).GetAwaiter().GetResult();
        }
    }
}
