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
                if (ReadFiles(handler, ref delivered) && !polling) continue;
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
            var collected = new List<CollectedNcapMessage>();
            NcapMessageHandler handler = (in NcapRecord message, NcapSource source) => collected.Add(new CollectedNcapMessage(message.ToMessage(), source));
            long delivered = 0;
            while (!StopRequested(token))
            {
                collected.Clear();
                if (TryNext(out var item)) Process(item, handler);
                else if (!ReadFiles(handler, ref delivered))
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
        _collectingThread = Environment.CurrentManagedThreadId;
        return collecting;
    }

    private CancellationTokenSource? _collectingField;
    private int _collectingThread;

    /// <summary>Waits (a bounded while) for a collect running on another thread to return: it uses the sources'
    /// converters, which disposing the engine returns to their pools.</summary>
    private void WaitForCollectToEnd()
    {
        if (Volatile.Read(ref _collectingField) is null || _collectingThread == Environment.CurrentManagedThreadId) return;
        SpinWait.SpinUntil(() => Volatile.Read(ref _collectingField) is null, TimeSpan.FromSeconds(5));
    }

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
                case SourceQueueEntryKind.Wake:
                    return 0;
                case SourceQueueEntryKind.Ended:
                    Retire(source, item.Error);
                    return 0;
                case SourceQueueEntryKind.Readable:
                    if (!source.Dropped) RunWatcher(source);
                    item.Handled?.TrySetResult();
                    return 0;
            }
            return item.Kind == SourceQueueEntryKind.Frames ? DeliverFrames(item, handler, out keep) : DeliverMessages(item, handler, out keep);
        }
        finally
        {
            if (item.Handled is null && !keep) _items.Return(item);
        }
    }

    /// <summary>Converts each frame of a batch (<see cref="DeliverFrame"/>).</summary>
    private int DeliverFrames(SourceQueueEntry item, NcapMessageHandler handler, out bool interrupted)
    {
        var source = item.Source;
        var converter = source.Converter!;
        int delivered = 0;
        interrupted = false;
        while (!source.Dropped && item.Consumed < item.Length)
        {
            if (delivered > 0 && Volatile.Read(ref _stopRequested) == 1) return Interrupt(item, delivered, out interrupted);
            var bytes = item.Buffer.AsSpan(item.Consumed, item.Length - item.Consumed);
            var frame = QueuedFrame.Read(bytes);
            item.Consumed += QueuedFrame.Size + frame.Length;
            if (DeliverFrame(source, converter, frame.LinkType, bytes.Slice(QueuedFrame.Size, frame.Length), frame.OriginalLength, frame.Timestamp, handler))
                delivered++;
        }
        return delivered;
    }

    /// <summary>One frame to its message (parsed once: link layer, IP, reassembly, transport), the expression matched
    /// on the parsed IP packet, then <see cref="Deliver"/>; the handler gets the converter's view, and the message is
    /// encoded only by whoever writes or sends it.</summary>
    private bool DeliverFrame(NcapSource source, FrameToNcapConverter converter, LinkType linkType, ReadOnlySpan<byte> frame, int originalLength,
        long timestamp, NcapMessageHandler handler)
    {
        if (!converter.TryConvert(linkType, frame, originalLength, timestamp, out var message, out var packet)) return false;
        if (!ExpressionMatches(packet))
        {
            CountEngineDrop(NcapDropReason.Filtered);
            return false;
        }
        return source.Options is { User1: null, User2: null }
            ? Deliver(message, source, handler, rebuildForExpression: false)
            : Deliver(Stamp(source, message), source, handler, rebuildForExpression: false);
    }

    /// <summary>Decodes each message of a batch (as read from an NCAP stream or a datagram), filters it and hands it over.</summary>
    private int DeliverMessages(SourceQueueEntry item, NcapMessageHandler handler, out bool interrupted)
    {
        var source = item.Source;
        int delivered = 0;
        interrupted = false;
        while (!source.Dropped && item.Consumed < item.Length)
        {
            if (delivered > 0 && Volatile.Read(ref _stopRequested) == 1) return Interrupt(item, delivered, out interrupted);
            var bytes = item.Buffer.AsSpan(item.Consumed, item.Length - item.Consumed);
            int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
            if (!NcapMessageDecoder.TryDecode(bytes[..length], out var message, out var error, out _))
                throw new InvalidOperationException($"internal error: a queued message does not decode ({error})");
            item.Consumed += length;
            MessagesDecoded++;
            if (DeliverMessage(source, message, handler)) delivered++;
        }
        return delivered;
    }

    /// <summary>A message that came as one (NCAP input, a datagram): stamped, then <see cref="Deliver"/>.</summary>
    private bool DeliverMessage(NcapSource source, in NcapRecord message, NcapMessageHandler handler) =>
        Deliver(Stamp(source, message), source, handler, rebuildForExpression: true);

    /// <summary>Queued messages the collecting thread decoded: those of NCAP files and datagrams, which arrive encoded;
    /// never one converted from a frame (the converter's view is what the handler gets).</summary>
    internal long MessagesDecoded { get; private set; }

    private int Interrupt(SourceQueueEntry item, int delivered, out bool interrupted)
    {
        _interrupted = item; // the rest waits for the next collect
        interrupted = true;
        return delivered;
    }

    /// <summary>The source's -1/-2 stamps, applied before the NCAP filter sees the message.</summary>
    private static NcapRecord Stamp(NcapSource source, in NcapRecord message)
    {
        var options = source.Options;
        if (options.User1 is null && options.User2 is null) return message;
        return message with
        {
            User1 = options.User1?.Apply(message.User1) ?? message.User1,
            User2 = options.User2?.Apply(message.User2) ?? message.User2,
        };
    }

    /// <summary>The engine's size limit and filters, then the handler; true when it was handed over. A frame's
    /// message has had the expression matched on its parsed packet already; one that came as a message is matched on
    /// the IP packet rebuilt from it.</summary>
    private bool Deliver(in NcapRecord message, NcapSource source, NcapMessageHandler handler, bool rebuildForExpression)
    {
        if (message.EncodedLength > _options.MaxMessageLength)
        {
            CountEngineDrop(NcapDropReason.TooLarge);
            return false;
        }
        source.CountMessage();
        if (!_filter.Matches(message) || (rebuildForExpression && !ExpressionMatchesRebuilt(message)))
        {
            CountEngineDrop(NcapDropReason.Filtered);
            return false;
        }
        Delivered++;
        handler(message, source);
        return true;
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
