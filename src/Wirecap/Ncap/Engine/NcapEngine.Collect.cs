using System.Runtime.CompilerServices;
using Wirecap.Decoding;
using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

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
                if (TryNext(out var item))
                {
                    delivered += Process(item, handler);
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
    public async IAsyncEnumerable<CollectedNcapMessage> CollectAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var collecting = BeginCollect(cancellationToken);
        var token = collecting.Token;
        try
        {
            while (!StopRequested(token))
            {
                if (!TryNext(out var item))
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
                var collected = new List<CollectedNcapMessage>();
                Process(item, (in NcapRecord message, NcapSource source) => collected.Add(new CollectedNcapMessage(message.ToMessage(), source)));
                foreach (var message in collected) yield return message;
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
        lock (_sources) return _sources.Count == 0 && _interrupted is null && !_queue.Reader.TryPeek(out _);
    }

    /// <summary>A batch a stop interrupted: its remaining messages are delivered first by the next collect.</summary>
    private SourceQueueEntry? _interrupted;

    private bool TryNext(out SourceQueueEntry item)
    {
        if (_interrupted is { } resumed)
        {
            _interrupted = null;
            item = resumed;
            return true;
        }
        return _queue.Reader.TryRead(out item!);
    }

    /// <summary>Handles one queued item on the collecting thread; returns how many messages were delivered.</summary>
    private int Process(SourceQueueEntry item, NcapMessageHandler handler)
    {
        bool keep = false;
        try
        {
            var source = item.Source;
            switch (item.Kind)
            {
                case SourceQueueEntryKind.Ended:
                    Retire(source, item.Error);
                    return 0;
                case SourceQueueEntryKind.Readable:
                    if (!source.Dropped) RunWatcher(source);
                    item.Handled?.TrySetResult();
                    return 0;
            }
            int delivered = 0;
            while (!source.Dropped && item.Consumed < item.Length)
            {
                if (delivered > 0 && Volatile.Read(ref _stopRequested) == 1)
                {
                    _interrupted = item; // the rest waits for the next collect
                    keep = true;
                    return delivered;
                }
                var bytes = item.Buffer.AsSpan(item.Consumed, item.Length - item.Consumed);
                int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
                if (!NcapMessageDecoder.TryDecode(bytes[..length], out var message, out var error, out _))
                    throw new InvalidOperationException($"internal error: a queued message does not decode ({error})");
                item.Consumed += length;
                if (!_filter.Matches(message) || (source.CarriesMessages && !ExpressionMatchesRebuilt(message)))
                {
                    CountEngineDrop(NcapDropReason.Filtered);
                    continue;
                }
                Delivered++;
                delivered++;
                handler(message, source);
            }
            return delivered;
        }
        finally
        {
            if (item.Handled is null && !keep) _items.Return(item);
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
