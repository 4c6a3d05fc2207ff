using System.Threading.Channels;
using Wirecap.Bpf;
using Wirecap.Decoding;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Microsoft.Extensions.ObjectPool;

namespace Wirecap.Ncap;

/// <summary>
/// The ncap-style engine: one object that takes sources (interfaces, pcap/pcapng and NCAP files or
/// streams, NCAP datagram sockets, watched sockets), turns what they carry into NCAP messages, filters
/// them, and hands them to a callback on the collecting thread — once (polling) or until stopped.
/// Sources read in the background into a bounded queue; a source that ends (end of file, a format
/// error) drops itself and is reported through <see cref="SourceEnded"/>. <see cref="Stop"/> is safe
/// from any thread, from inside the callback and from a signal handler.
/// </summary>
public sealed partial class NcapEngine : IDisposable, IAsyncDisposable
{
    private readonly NcapEngineOptions _options;
    private readonly Channel<SourceQueueEntry> _queue;
    private readonly ObjectPool<SourceQueueEntry> _items;
    private readonly List<NcapSource> _sources = [];
    private readonly long[] _engineDrops = new long[Enum.GetValues<NcapDropReason>().Length];
    private NcapFilter _filter = NcapFilter.All;
    private string? _filterExpression;
    private PacketFilter? _expressionFilter;
    private byte[] _frameScratch = new byte[2048];
    private volatile CancellationTokenSource? _collecting;
    private int _stopRequested;
    private bool _disposed;

    /// <summary>Creates an engine with no sources.</summary>
    public NcapEngine(NcapEngineOptions? options = null)
    {
        _options = options ?? new NcapEngineOptions();
        if (_options.QueueBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), _options.QueueBytes, "QueueBytes must be positive");
        int batches = Math.Max(2, (int)Math.Min(int.MaxValue, ((long)_options.QueueBytes + SourceQueueEntry.BatchBytes - 1) / SourceQueueEntry.BatchBytes));
        // Every queued batch, the one each source is filling and one being delivered come back to the pool.
        _items = new DefaultObjectPool<SourceQueueEntry>(new SourceQueueEntryPolicy(), batches + 16);
        _queue = Channel.CreateBounded<SourceQueueEntry>(new BoundedChannelOptions(batches)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Name = _options.Name ?? EngineMetrics.NextName();
        EngineMetrics.Track(this);
    }

    /// <summary>The engine's name in its metrics (<see cref="NcapEngineOptions.Name"/>, or "ncap-N").</summary>
    public string Name { get; }

    /// <summary>Raised on the collecting thread when a source ends; <see cref="NcapSource.Error"/> tells a failure from the end of input.</summary>
    public event EventHandler<NcapSourceEndedEventArgs>? SourceEnded;

    /// <summary>The sources not yet ended.</summary>
    public IReadOnlyList<NcapSource> Sources { get { lock (_sources) return [.. _sources]; } }

    /// <summary>Messages handed to a callback so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>
    /// Frames or messages not delivered, by reason, over all sources (ended ones included) and the engine's
    /// own filter. Fragments given up by reassembly count under <see cref="NcapDropReason.FragmentDropped"/>.
    /// </summary>
    public long Dropped(NcapDropReason reason)
    {
        long total = Interlocked.Read(ref _engineDrops[(int)reason]);
        lock (_sources)
            foreach (var source in _ended.Concat(_sources))
                if (source.Converter is { } converter) total += converter.Dropped(reason);
        return total;
    }

    private readonly List<NcapSource> _ended = [];

    /// <summary>The NCAP filter in use (ncap families); <see cref="NcapFilter.All"/> when none.</summary>
    public NcapFilter Filter => _filter;

    /// <summary>
    /// Installs the filter applied to every collected message (ncap's <c>filter</c>, which ncap documented
    /// and never built): <paramref name="specification"/> in ncap's family syntax (<c>dns rcode=nxdomain</c>)
    /// and/or a pcap-filter <paramref name="expression"/> matched against the message's IP packet.
    /// Interface sources added afterwards also get its kernel part.
    /// </summary>
    /// <exception cref="NcapFilterException">The specification does not parse.</exception>
    /// <exception cref="FilterException">The expression does not compile.</exception>
    public void SetFilter(string? specification, string? expression = null)
    {
        var filter = string.IsNullOrWhiteSpace(specification) ? NcapFilter.All : NcapFilter.Parse(specification);
        PacketFilter? compiled = null;
        if (!string.IsNullOrWhiteSpace(expression))
            compiled = PacketFilter.Create(expression, LinkType.Raw, new PacketFilterOptions { Engine = _options.FilterEngine ?? new BpfFilterOptions() });
        _filter = filter;
        _filterExpression = string.IsNullOrWhiteSpace(expression) ? null : expression;
        _expressionFilter = compiled;
    }

    /// <summary>True when <paramref name="message"/> passes the installed filter (ncap's <c>match</c>). A bare
    /// message has no packet: the expression is matched against the IP packet rebuilt from it.</summary>
    public bool Match(in NcapRecord message) => _filter.Matches(message) && ExpressionMatchesRebuilt(message);

    /// <summary>The expression on a captured IP packet (frames' messages: the packet the converter parsed).</summary>
    private bool ExpressionMatches(ReadOnlySpan<byte> ipPacket) => _expressionFilter is not { } expression || expression.Matches(ipPacket);

    /// <summary>The expression on the IP packet rebuilt from a message that came as a message (NCAP files, datagrams).</summary>
    private bool ExpressionMatchesRebuilt(in NcapRecord message)
    {
        if (_expressionFilter is not { } expression) return true;
        int length = NcapToFrameConverter.GetLength(message);
        if (_frameScratch.Length < length) _frameScratch = new byte[Math.Max(length, _frameScratch.Length * 2)];
        int written = NcapToFrameConverter.Write(message, _frameScratch);
        return expression.Matches(_frameScratch.AsSpan(0, written));
    }

    /// <summary>
    /// Ends a running <see cref="Collect"/> (or <see cref="CollectAsync"/>) promptly. Safe from any
    /// thread, from inside the callback and from a signal handler; a stop requested while nothing is
    /// collecting ends the next collect at once.
    /// </summary>
    public void Stop()
    {
        Volatile.Write(ref _stopRequested, 1);
        try
        {
            _collecting?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the collect that owned it has just returned
        }
    }

    /// <summary>Stops collection on SIGINT and SIGTERM (for command-line programs); dispose the result to stop listening.</summary>
    public IDisposable StopOnSignals() => new SignalStop(this);

    private void CountEngineDrop(NcapDropReason reason, long count = 1) => Interlocked.Add(ref _engineDrops[(int)reason], count);

    /// <summary>Drops every source and waits for their readers to finish.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Drops every source and waits for their readers to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        EngineMetrics.Untrack(this);
        Stop();
        NcapSource[] sources;
        lock (_sources) sources = [.. _sources];
        foreach (var source in sources) source.Drop();
        while (_queue.Reader.TryRead(out var item)) _items.Return(item); // unblock writers
        foreach (var source in sources)
        {
            if (source.Pump is { } pump)
            {
                try { await pump.ConfigureAwait(false); }
                catch (OperationCanceledException) { }
                while (_queue.Reader.TryRead(out var item)) _items.Return(item);
            }
        }
        WaitForCollectToEnd();
        NcapSource[] files;
        lock (_sources)
        {
            files = [.. _files]; // dropped ones too: their readers stay open until a collect sees them
            _files.Clear();
        }
        foreach (var file in files) CloseFile(file);
        foreach (var source in sources) source.Converter?.Dispose();
    }

    private sealed class SignalStop : IDisposable
    {
        private readonly System.Runtime.InteropServices.PosixSignalRegistration[] _registrations;

        public SignalStop(NcapEngine engine)
        {
            _registrations =
            [
                System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Handle),
                System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Handle),
            ];

            void Handle(System.Runtime.InteropServices.PosixSignalContext context)
            {
                context.Cancel = true;
                engine.Stop();
            }
        }

        public void Dispose()
        {
            foreach (var registration in _registrations) registration.Dispose();
        }
    }
}
