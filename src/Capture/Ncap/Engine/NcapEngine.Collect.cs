using System.Runtime.CompilerServices;
using Capture.Formats.Ncap;

namespace Capture.Ncap;

public sealed partial class NcapEngine
{
    /// <summary>
    /// Delivers messages to <paramref name="handler"/> on this thread. Continuous (the default): until
    /// <see cref="Stop"/>, cancellation, or until no source remains. Polling: the messages the sources have
    /// already produced, without waiting (sources read in the background, so poll again for more).
    /// Returns the number of messages delivered. Stop requests made before the call end it at once.
    /// </summary>
    public long Collect(NcapMessageHandler handler, bool polling = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var collecting = BeginCollect(cancellationToken);
        var token = collecting.Token;
        long delivered = 0;
        try
        {
            while (!StopRequested(token))
            {
                if (_queue.Reader.TryRead(out var item))
                {
                    if (Process(item, handler)) delivered++;
                    continue;
                }
                if (polling || NoSourcesLeft()) break;
                if (!_queue.Reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult()) break;
            }
        }
        catch (OperationCanceledException)
        {
            // Stop() or the caller's token
        }
        finally
        {
            EndCollect();
        }
        return delivered;
    }

    /// <summary>
    /// Collects continuously as owned messages, until <see cref="Stop"/>, cancellation, or until no source remains.
    /// </summary>
    public async IAsyncEnumerable<NcapCollected> CollectAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var collecting = BeginCollect(cancellationToken);
        var token = collecting.Token;
        try
        {
            while (!StopRequested(token))
            {
                if (!_queue.Reader.TryRead(out var item))
                {
                    if (NoSourcesLeft()) yield break;
                    bool more;
                    try
                    {
                        more = await _queue.Reader.WaitToReadAsync(token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        yield break;
                    }
                    if (!more) yield break;
                    continue;
                }
                NcapCollected? collected = null;
                Process(item, (in NcapRecord message, NcapSource source) => collected = new NcapCollected(message.ToMessage(), source));
                if (collected is not null) yield return collected;
            }
        }
        finally
        {
            EndCollect();
        }
    }

    private CancellationTokenSource BeginCollect(CancellationToken cancellationToken)
    {
        var collecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Interlocked.CompareExchange(ref _collectingField, collecting, null) is not null)
        {
            collecting.Dispose();
            throw new InvalidOperationException("the engine is already collecting on another thread");
        }
        _collecting = collecting;
        return collecting;
    }

    private CancellationTokenSource? _collectingField;

    private void EndCollect()
    {
        _collecting = null;
        Volatile.Write(ref _collectingField, null);
        Volatile.Write(ref _stopRequested, 0);
    }

    private bool StopRequested(CancellationToken token) => Volatile.Read(ref _stopRequested) == 1 || token.IsCancellationRequested;

    private bool NoSourcesLeft()
    {
        lock (_sources) return _sources.Count == 0 && !_queue.Reader.TryPeek(out _);
    }

    /// <summary>Handles one queued item on the collecting thread; true when a message was delivered.</summary>
    private bool Process(EngineItem item, NcapMessageHandler handler)
    {
        try
        {
            var source = item.Source;
            switch (item.Kind)
            {
                case EngineItemKind.Ended:
                    Retire(source, item.Error);
                    return false;
                case EngineItemKind.Watch:
                    if (!source.Dropped) RunWatcher(source);
                    item.Handled?.TrySetResult();
                    return false;
            }
            if (source.Dropped) return false;
            if (!NcapCodec.TryDecode(item.Buffer.AsSpan(0, item.Length), out var message, out var error, out _))
                throw new InvalidOperationException($"internal error: a queued message does not decode ({error})");
            if (!Match(message))
            {
                CountEngineDrop(NcapDropReason.Filtered);
                return false;
            }
            Delivered++;
            handler(message, source);
            return true;
        }
        finally
        {
            if (item.Handled is null) _items.Return(item);
        }
    }

    private void Retire(NcapSource source, Exception? error)
    {
        lock (_sources)
        {
            if (!_sources.Remove(source)) return;
            _ended.Add(source);
        }
        source.IsEnded = true;
        source.Error ??= error;
        SourceEnded?.Invoke(this, new NcapSourceEndedEventArgs(source));
    }
}
