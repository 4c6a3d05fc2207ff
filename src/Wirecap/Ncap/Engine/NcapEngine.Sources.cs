using System.Net.Sockets;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Linux;

namespace Wirecap.Ncap;

public sealed partial class NcapEngine
{
    private readonly CancellationTokenSource _lifetime = new();

    /// <summary>
    /// Adds a capture file or stream (ncap's <c>add_pf</c>), its format detected: pcap and pcapng frames become
    /// messages through the source's <see cref="NcapSource.Converter"/>; an NCAP stream's messages are taken as
    /// they are, user1/user2 included (the source's <see cref="NcapSource.Kind"/> then becomes
    /// <see cref="NcapSourceKind.NcapFile"/>, as if added by <see cref="AddNcapFile(Stream, string, NcapSourceOptions?, bool)"/>).
    /// The stream may be non-seekable (a pipe, a socket). The source drops itself at end of input or on a format
    /// error (reported through <see cref="SourceEnded"/>).
    /// </summary>
    public NcapSource AddCaptureFile(Stream stream, string label, NcapSourceOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return AddFile(NcapSourceKind.CaptureFile, label, options, ReaderOver(stream, leaveOpen));
    }

    /// <summary>Adds a pcap, pcapng or NCAP file by path. Unlike a stream, it is read by the collecting thread itself, as
    /// <see cref="Collect"/> needs more (a regular file does not stall): each record is converted where the reader parsed
    /// it, with no copy and no hand-over between threads. A file that cannot be opened throws here; a format error ends
    /// the source, as for a stream.</summary>
    public NcapSource AddCaptureFile(string path, NcapSourceOptions? options = null) =>
        AddFileByPath(NcapSourceKind.CaptureFile, path, options);

    /// <summary>Adds an NCAP file or stream (ncap's <c>add_nf</c>); dropped at end of input or on a format error,
    /// which input in another format is.</summary>
    public NcapSource AddNcapFile(Stream stream, string label, NcapSourceOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return AddFile(NcapSourceKind.NcapFile, label, options, ReaderOver(stream, leaveOpen));
    }

    /// <summary>Adds an NCAP file by path, read by the collecting thread as <see cref="AddCaptureFile(string, NcapSourceOptions?)"/>
    /// reads one; a file that cannot be opened throws here.</summary>
    public NcapSource AddNcapFile(string path, NcapSourceOptions? options = null) =>
        AddFileByPath(NcapSourceKind.NcapFile, path, options);

    private NcapSource AddFile(NcapSourceKind kind, string label, NcapSourceOptions? options, Func<CancellationToken, ValueTask<CaptureReader>> open)
    {
        var source = NewFileSource(kind, label, options);
        Start(source, () => PumpFileAsync(source, open, ncapOnly: kind == NcapSourceKind.NcapFile));
        return source;
    }

    private NcapSource NewFileSource(NcapSourceKind kind, string label, NcapSourceOptions? options)
    {
        var source = NewSource(kind, label, options);
        if (kind == NcapSourceKind.CaptureFile) source.Converter = new FrameToNcapConverter(source.Options.Conversion ?? _options.Conversion);
        return source;
    }

    private static Func<CancellationToken, ValueTask<CaptureReader>> ReaderOver(Stream stream, bool leaveOpen) =>
        token => CaptureFiles.OpenReaderAsync(stream, new CaptureReaderOptions { LeaveOpen = leaveOpen }, token);

    /// <summary>
    /// Adds a live interface (ncap's <c>add_if</c>): a TPACKET_V3 capture whose kernel filter is the
    /// source's expression AND the engine filter's kernel part, widened so IP fragments still reach the
    /// reassembler (ncap's rule). With a VLAN list the whole filter runs in user space, because the kernel
    /// sees frames with their tags removed. Needs CAP_NET_RAW.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public NcapSource AddInterface(string name, NcapInterfaceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        options ??= new NcapInterfaceOptions();
        var conversion = options.Conversion ?? _options.Conversion;
        var captureOptions = new PacketCaptureOptions
        {
            Interface = name,
            SnapLength = options.SnapLength,
            Promiscuous = options.Promiscuous,
            Direction = options.Direction,
            Immediate = true,
            FilterExpression = conversion.Vlans is { Count: > 0 } ? null : KernelExpression(options.Filter),
        };
        if (options.RingSize is { } ringSize) captureOptions.SizeRing(ringSize);
        return AddLive(PacketCapture.Open(captureOptions), options);
    }

    /// <summary>
    /// Adds any live capture (<see cref="PacketCapture"/>, <see cref="Linux.Tc.TcCapture"/>, <see cref="Linux.Probes.ProbeCapture"/>)
    /// as an interface source: each frame becomes a message as those of <see cref="AddInterface"/> do, with the source's
    /// stamps and the engine's filters. The capture's own filter stays as it was opened (give it the kernel part of the
    /// engine's filter, and let IP fragments through, as <see cref="AddInterface"/> does, if that matters). The engine
    /// owns the capture from here on: it is disposed when the source ends or is dropped.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public NcapSource AddCapture(ILiveCapture capture, NcapSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(capture);
        return AddLive(capture, options ?? new NcapSourceOptions());
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private NcapSource AddLive(ILiveCapture capture, NcapSourceOptions options)
    {
        NcapSource source;
        try
        {
            source = NewSource(NcapSourceKind.Interface, capture.InterfaceName, options);
        }
        catch
        {
            capture.Dispose();
            throw;
        }
        source.Converter = new FrameToNcapConverter(options.Conversion ?? _options.Conversion);
        source.OnDrop = capture.Stop;
        Start(source, () => Task.Factory.StartNew(() => PumpInterface(source, capture), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return source;
    }

    /// <summary>
    /// Adds a bound datagram socket carrying NCAP (ncap's <c>add_dg</c>): one message per datagram, a sender's
    /// messages ignored until its file header is seen (per sender, not per socket as in ncap), malformed
    /// datagrams skipped and counted, gaps counted from the sequence trailer — see <see cref="NcapSource.Datagrams"/>.
    /// </summary>
    public NcapSource AddDatagramSocket(Socket socket, string label, NcapSourceOptions? options = null, NcapDatagramReceiverOptions? receiverOptions = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var source = NewSource(NcapSourceKind.Datagram, label, options);
        source.Datagrams = new NcapDatagramReceiver(socket, receiverOptions);
        Start(source, () => Task.Factory.StartNew(() => PumpDatagrams(source), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return source;
    }

    /// <summary>
    /// Watches any other socket (ncap's <c>watch_fd</c>): when it is readable, <paramref name="watcher"/> runs on
    /// the collecting thread; it is not re-armed until the watcher has returned.
    /// </summary>
    public NcapSource Watch(Socket socket, NcapWatcher watcher, string label)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(watcher);
        var source = NewSource(NcapSourceKind.Watch, label, null);
        Start(source, () => PumpWatchAsync(source, socket, watcher));
        return source;
    }

    /// <summary>Removes a source (ncap's <c>drop_*</c>); its queued messages are discarded. False if it had ended already.</summary>
    public bool Drop(NcapSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        bool removed;
        lock (_sources)
        {
            removed = _sources.Remove(source);
            if (removed) _ended.Add(source);
        }
        source.Drop();
        source.IsEnded = true;
        return removed;
    }

    /// <summary>The pcap-filter text pushed into the kernel for an interface source, or null for none.</summary>
    internal string? KernelExpression(string? sourceFilter)
    {
        var parts = new[] { sourceFilter, _filter.KernelExpression, _filterExpression }
            .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => $"({p})").ToList();
        if (parts.Count == 0) return null;
        // Fragments after the first carry no ports: let them through to the reassembler, as ncap did.
        return $"(ip[6:2] & 0x1fff != 0) or ip6 or ({string.Join(" and ", parts)})";
    }

    private NcapSource NewSource(NcapSourceKind kind, string label, NcapSourceOptions? options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(label);
        return new NcapSource(kind, label, options ?? new NcapSourceOptions());
    }

    private void Start(NcapSource source, Func<Task> pump)
    {
        lock (_sources) _sources.Add(source);
        source.Pump = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                await pump().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (source.Cancellation.IsCancellationRequested || _lifetime.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                error = e;
            }
            var end = new SourceQueueEntry { Kind = SourceQueueEntryKind.Ended, Source = source, Error = error };
            try
            {
                await _queue.Writer.WriteAsync(end, _lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the engine is being disposed: nobody collects any more
            }
        });
    }

    /// <summary>
    /// Appends a message as read (an NCAP file's or a datagram's) to <paramref name="batch"/>, taking a pooled item
    /// when there is none; true when the batch is full and should be posted. Batching keeps the hand-off between the
    /// reading and the collecting thread off the per-message path. The bytes are those read when the reader kept
    /// them (it does for every message in the portable form), else the message encoded once here.
    /// </summary>
    private bool AppendMessage(NcapSource source, in NcapRecord message, ref SourceQueueEntry? batch)
    {
        int length = message.EncodedLength;
        if (length > _options.MaxMessageLength)
        {
            CountEngineDrop(NcapDropReason.TooLarge);
            return false;
        }
        var entry = batch ??= NewBatch(SourceQueueEntryKind.Messages, source);
        NcapMessageEncoder.Encode(message, entry.Append(length));
        return entry.IsFull;
    }

    /// <summary>Appends a frame as captured to <paramref name="batch"/>; true when the batch is full and should be
    /// posted. The collecting thread converts it (<see cref="DeliverFrames"/>).</summary>
    private bool AppendFrame(NcapSource source, LinkType linkType, ReadOnlySpan<byte> frame, int originalLength, long timestamp,
        ref SourceQueueEntry? batch)
    {
        var entry = batch ??= NewBatch(SourceQueueEntryKind.Frames, source);
        entry.AppendFrame(linkType, frame, originalLength, timestamp);
        return entry.IsFull;
    }

    private SourceQueueEntry NewBatch(SourceQueueEntryKind kind, NcapSource source)
    {
        var batch = _items.Get();
        batch.Kind = kind;
        batch.Source = source;
        return batch;
    }

    /// <summary>Posts a batch, if any, and forgets it.</summary>
    private ValueTask Flush(ref SourceQueueEntry? batch, NcapSource source)
    {
        if (batch is null) return default;
        var item = batch;
        batch = null;
        return Post(item, source);
    }

    private ValueTask Post(SourceQueueEntry item, NcapSource source)
    {
        source.CountQueued(item.Count);
        return _queue.Writer.TryWrite(item) ? default : _queue.Writer.WriteAsync(item, source.Cancellation);
    }

    private async Task PumpFileAsync(NcapSource source, Func<CancellationToken, ValueTask<CaptureReader>> open, bool ncapOnly)
    {
        await using var reader = await open(source.Cancellation).ConfigureAwait(false);
        var messages = reader as NcapFrameReader;
        if (messages is not null) source.Kind = NcapSourceKind.NcapFile;
        else if (ncapOnly) throw new CaptureFormatException(reader.Format, 0, $"{source.Label} is a {reader.Format} file, not NCAP");
        SourceQueueEntry? batch = null;
        try
        {
            while (true)
            {
                var more = reader.ReadAsync(source.Cancellation);
                if (!more.IsCompleted) await Flush(ref batch, source).ConfigureAwait(false); // input stalls: hand over what we have
                if (!await more.ConfigureAwait(false)) break;
                bool full = messages is not null ? AppendMessage(source, messages.CurrentMessage, ref batch) : AppendCurrent(source, reader, ref batch);
                if (full) await Flush(ref batch, source).ConfigureAwait(false);
            }
        }
        catch (Exception) when (!source.Cancellation.IsCancellationRequested)
        {
            await Flush(ref batch, source).ConfigureAwait(false); // messages before a format error are delivered
            throw;
        }
        finally
        {
            // Messages the reader read through as longer than it takes count as too large, like the engine's own.
            if (messages is not null) CountEngineDrop(NcapDropReason.TooLarge, messages.SkippedMessages);
        }
        await Flush(ref batch, source).ConfigureAwait(false);
    }

    private bool AppendCurrent(NcapSource source, CaptureReader reader, ref SourceQueueEntry? batch)
    {
        var record = reader.Current;
        return AppendFrame(source, record.LinkType, record.Data, record.OriginalLength, record.TimestampNanoseconds, ref batch);
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private void PumpInterface(NcapSource source, ILiveCapture capture)
    {
        using (capture)
        {
            capture.Capture((in CapturedFrame frame) =>
            {
                // Live frames are handed over one by one: the ring gives no end-of-burst signal here.
                var item = NewBatch(SourceQueueEntryKind.Frames, source);
                item.AppendFrame(frame.LinkType, frame.Data, frame.OriginalLength, frame.TimestampNanoseconds);
                // Waiting here stops draining the ring when the collector falls behind: the kernel then counts the drops.
                source.CountQueued(1);
                if (!_queue.Writer.TryWrite(item)) _queue.Writer.WriteAsync(item, source.Cancellation).AsTask().GetAwaiter().GetResult();
            }, cancellationToken: source.Cancellation);
            source.InterfaceStatistics = capture.GetStatistics();
        }
    }

    private void PumpDatagrams(NcapSource source)
    {
        var receiver = source.Datagrams!;
        SourceQueueEntry? batch = null;
        while (!source.Cancellation.IsCancellationRequested)
        {
            // Batch what is already waiting; hand it over as soon as the socket has nothing more.
            var wait = batch is null ? TimeSpan.FromMilliseconds(100) : TimeSpan.Zero;
            if (receiver.TryReceive(out var message, out _, wait, source.Cancellation))
            {
                if (AppendMessage(source, message, ref batch)) Flush(ref batch, source).AsTask().GetAwaiter().GetResult();
            }
            else Flush(ref batch, source).AsTask().GetAwaiter().GetResult();
        }
    }

    private async Task PumpWatchAsync(NcapSource source, Socket socket, NcapWatcher watcher)
    {
        source.Watcher = (watcher, socket);
        while (!source.Cancellation.IsCancellationRequested)
        {
            // A zero-byte peek completes when the socket has data, without consuming it.
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, source.Cancellation).ConfigureAwait(false);
            var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Post(new SourceQueueEntry { Kind = SourceQueueEntryKind.Readable, Source = source, Handled = handled }, source).ConfigureAwait(false);
            await handled.Task.WaitAsync(source.Cancellation).ConfigureAwait(false);
        }
    }

    private void RunWatcher(NcapSource source)
    {
        if (source.Watcher is var (watcher, socket)) watcher(this, socket);
    }
}
