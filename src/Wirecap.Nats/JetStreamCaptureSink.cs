using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;

namespace Wirecap.Nats;

/// <summary>
/// Publishes a capture to a JetStream subject in batches (pcapng sections or NCAP streams, each complete on its own)
/// and waits for the stream's acknowledgement of each before the next, so the stream holds the batches in the order
/// written. A publish that fails or goes unanswered (a node down, a leader election) is retried, under the same
/// message id so the stream keeps one copy, until <see cref="JetStreamSinkOptions.PublishTimeout"/> passes; a batch
/// the stream refuses (a limit of the stream) is counted in <see cref="BatchesRefused"/> and raised through
/// <see cref="Refused"/>. One thread writes.
/// </summary>
public sealed class JetStreamCaptureSink : IAsyncDisposable
{
    private static readonly TimeSpan RetryWait = TimeSpan.FromMilliseconds(200);
    private readonly INatsJSContext _js;
    private readonly JetStreamSinkOptions _options;
    private readonly List<CaptureInterface> _interfaces;
    private readonly MemoryStream _batch = new();
    private CaptureWriter? _packets;
    private NcapWriter? _messages;
    private int _batchCount;
    private long _batchNumber, _published, _batchesPublished, _retries, _refusedBatches, _refusedPackets, _unacknowledged, _bytes;

    /// <summary>A sink publishing through <paramref name="js"/> (the connection stays the caller's).</summary>
    public JetStreamCaptureSink(INatsJSContext js, JetStreamSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _js = js;
        _options = options;
        _interfaces = [.. options.Interfaces];
    }

    /// <summary>Raised when the stream refuses a batch: its packet count and the stream's reason.</summary>
    public event Action<long, string>? Refused;

    /// <summary>Packets (or messages) the stream acknowledged.</summary>
    public long PacketsPublished => _published;
    /// <summary>Batches the stream acknowledged.</summary>
    public long BatchesPublished => _batchesPublished;
    /// <summary>Payload bytes of the acknowledged batches.</summary>
    public long BytesPublished => _bytes;
    /// <summary>Publish attempts repeated after a failure or a missing acknowledgement.</summary>
    public long Retries => _retries;
    /// <summary>Batches the stream answered with an error (not retried).</summary>
    public long BatchesRefused => _refusedBatches;
    /// <summary>Packets in the refused batches.</summary>
    public long PacketsRefused => _refusedPackets;
    /// <summary>Batches given up after <see cref="JetStreamSinkOptions.PublishTimeout"/>.</summary>
    public long BatchesUnacknowledged => _unacknowledged;

    /// <summary>Creates the stream that takes <paramref name="subject"/> when none does, with <paramref name="replicas"/>
    /// copies (file storage, a two-minute duplicate window for retried batches); returns its name.</summary>
    public static async Task<string> EnsureStreamAsync(INatsJSContext js, string subject, int replicas = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        var patience = TimeSpan.FromSeconds(30);
        if (await JetStreamRetry.RunAsync(() => FindStreamAsync(js, subject, cancellationToken), patience, cancellationToken).ConfigureAwait(false) is { } existing)
            return existing;
        var config = new StreamConfig(JetStreamHeaders.StreamName(subject), [subject])
        {
            NumReplicas = replicas,
            Storage = StreamConfigStorage.File,
            DuplicateWindow = TimeSpan.FromMinutes(2),
        };
        var stream = await JetStreamRetry.RunAsync(() => js.CreateOrUpdateStreamAsync(config, cancellationToken).AsTask(), patience, cancellationToken).ConfigureAwait(false);
        return stream.Info.Config.Name!;
    }

    /// <summary>The stream that takes <paramref name="subject"/>, or null.</summary>
    public static async Task<string?> FindStreamAsync(INatsJSContext js, string subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(js);
        await foreach (var name in js.ListStreamNamesAsync(subject, cancellationToken).ConfigureAwait(false)) return name;
        return null;
    }

    /// <summary>Describes another interface (pcapng); returns its number.</summary>
    public int AddInterface(CaptureInterface captureInterface)
    {
        ArgumentNullException.ThrowIfNull(captureInterface);
        _interfaces.Add(captureInterface);
        _packets?.AddInterface(captureInterface);
        return _interfaces.Count - 1;
    }

    /// <summary>Adds a packet to the batch; a full batch is published (and acknowledged) before this returns.</summary>
    /// <exception cref="JetStreamPublishException">A batch went unacknowledged past the limit.</exception>
    public void Write(in PacketRecord record)
    {
        if (_options.Format != JetStreamBatchFormat.PcapNg) throw new InvalidOperationException("this sink publishes NCAP messages");
        _packets ??= CaptureWriter.Create(_batch, CaptureFormat.PcapNg, new CaptureWriterOptions
        {
            Interfaces = _interfaces,
            Precision = TimestampPrecision.Nanosecond,
            LeaveOpen = true,
            BufferSize = 64 * 1024,
        });
        if (record.HasComments) _packets.Write(record, record.ToPacket().Comments);
        else _packets.Write(record);
        if (++_batchCount >= _options.MaxBatchPackets || _packets.Position >= _options.MaxBatchBytes) PublishBatch();
    }

    /// <summary>Adds an NCAP message to the batch; a full batch is published before this returns.</summary>
    public void Write(in NcapRecord message)
    {
        if (_options.Format != JetStreamBatchFormat.Ncap) throw new InvalidOperationException("this sink publishes pcapng batches");
        _messages ??= new NcapWriter(_batch, leaveOpen: true);
        _messages.Write(message);
        if (++_batchCount >= _options.MaxBatchPackets || _batch.Length >= _options.MaxBatchBytes) PublishBatch();
    }

    /// <summary>Publishes what the batch holds and waits for its acknowledgement.</summary>
    public void Flush()
    {
        if (_batchCount > 0) PublishBatch();
    }

    /// <summary>Publishes what the batch holds and waits for its acknowledgement.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        _batchCount > 0 ? PublishBatchAsync(cancellationToken) : Task.CompletedTask;

    // The writers are synchronous (a capture loop, a ring callback); the client is asynchronous.
    private void PublishBatch() => PublishBatchAsync(CancellationToken.None).GetAwaiter().GetResult();

    private async Task PublishBatchAsync(CancellationToken cancellationToken)
    {
        _packets?.Dispose();
        _messages?.Dispose();
        _packets = null;
        _messages = null;
        var payload = _batch.ToArray();
        int count = _batchCount;
        _batch.SetLength(0);
        _batchCount = 0;
        _batchNumber++;
        var headers = new NatsHeaders
        {
            [JetStreamHeaders.Format] = JetStreamHeaders.Name(_options.Format),
            [JetStreamHeaders.Count] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var publish = new NatsJSPubOpts { MsgId = $"{_options.ProducerId}-{_batchNumber}" };
        var deadline = DateTime.UtcNow + _options.PublishTimeout;
        Exception? last = null;
        for (int attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                if (DateTime.UtcNow >= deadline) break;
                _retries++;
                await Task.Delay(RetryWait, cancellationToken).ConfigureAwait(false);
            }
            PubAckResponse ack;
            try
            {
                ack = await _js.PublishAsync(_options.Subject, payload, headers: headers, opts: publish, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException || JetStreamRetry.IsTransient(e, cancellationToken))
            {
                last = e; // no responders while a leader is elected, no reply from a node going down, a reconnect
                continue;
            }
            if (ack.Error is { } error)
            {
                if (error.Code == 503) // JetStream not available for now: the cluster has no quorum yet
                {
                    last = new NatsJSApiException(error);
                    continue;
                }
                _refusedBatches++;
                _refusedPackets += count;
                Refused?.Invoke(count, $"{error.Description} (code {error.Code}, error {error.ErrCode})");
                return;
            }
            _published += count;
            _batchesPublished++;
            _bytes += payload.Length;
            return;
        }
        _unacknowledged++;
        throw new JetStreamPublishException(
            $"batch {_batchNumber} ({count} packets) to '{_options.Subject}' was not acknowledged within {_options.PublishTimeout.TotalSeconds:0.#} s: {last?.Message}", last);
    }

    /// <summary>Publishes what is left; the connection stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        await _batch.DisposeAsync().ConfigureAwait(false);
    }
}
