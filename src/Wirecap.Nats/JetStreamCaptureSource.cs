using System.Runtime.CompilerServices;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;

namespace Wirecap.Nats;

/// <summary>
/// Reads a capture back from a JetStream stream through a durable consumer, batch by batch in stream order. A batch
/// comes again until it is acknowledged (<see cref="AckAsync"/>), so a reader that stops or dies loses nothing; one
/// delivered twice (an acknowledgement lost, or skipped by a checkpoint) is acknowledged and passed over, so nothing is
/// repeated. A message that is not a whole capture batch is counted in <see cref="BadMessages"/>, acknowledged and skipped.
/// </summary>
public sealed class JetStreamCaptureSource
{
    private readonly INatsJSConsumer _consumer;
    private readonly JetStreamSourceOptions _options;
    private ulong _lastSequence;
    private long _bad, _replayed;

    private JetStreamCaptureSource(INatsJSConsumer consumer, JetStreamSourceOptions options)
    {
        _consumer = consumer;
        _options = options;
        _lastSequence = options.ResumeAfter is { } resume ? resume.StreamSequence - 1 : 0;
    }

    /// <summary>Opens the durable consumer of <paramref name="options"/>: from the stream's first message the first time,
    /// then from the first batch not taken (the checkpoint's, or the first the server has no acknowledgement for).</summary>
    /// <exception cref="InvalidOperationException">No stream takes the subject.</exception>
    public static async Task<JetStreamCaptureSource> OpenAsync(INatsJSContext js, JetStreamSourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string stream = options.Stream
            ?? await JetStreamRetry.RunAsync(() => JetStreamCaptureSink.FindStreamAsync(js, options.Subject, cancellationToken), options.OpenTimeout, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"no JetStream stream takes the subject '{options.Subject}'");
        // Batches a reader had been given but not acknowledged when it died come again only after AckWait, behind
        // later ones. So the consumer is made anew at the first batch not fully taken (the checkpoint's, else the
        // server's acknowledgement floor): everything from there arrives in stream order.
        ulong start = options.ResumeAfter?.StreamSequence ?? 0;
        try
        {
            var existing = await JetStreamRetry.RunAsync(() => js.GetConsumerAsync(stream, options.Durable, cancellationToken).AsTask(), options.OpenTimeout, cancellationToken).ConfigureAwait(false);
            if (start == 0) start = existing.Info.AckFloor?.StreamSeq + 1 ?? 0;
            await JetStreamRetry.RunAsync(() => js.DeleteConsumerAsync(stream, options.Durable, cancellationToken).AsTask(), options.OpenTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
        }
        var config = new ConsumerConfig(options.Durable)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            DeliverPolicy = start > 1 ? ConsumerConfigDeliverPolicy.ByStartSequence : ConsumerConfigDeliverPolicy.All,
            FilterSubject = options.Subject,
            AckWait = options.AckWait,
            MaxAckPending = options.PrefetchMessages,
        };
        if (start > 1) config.OptStartSeq = start;
        var consumer = await JetStreamRetry.RunAsync(() => js.CreateOrUpdateConsumerAsync(stream, config, cancellationToken).AsTask(), options.OpenTimeout, cancellationToken).ConfigureAwait(false);
        return new JetStreamCaptureSource(consumer, options);
    }

    /// <summary>Messages skipped because they are not capture batches.</summary>
    public long BadMessages => Interlocked.Read(ref _bad);

    /// <summary>Why the last bad message was skipped.</summary>
    public string? LastBadReason { get; private set; }

    /// <summary>Batches delivered again after they were taken (a lost acknowledgement, or before the checkpoint), skipped.</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>The batches in stream order, until cancelled (the stream is waited on when it has no more).</summary>
    public async IAsyncEnumerable<JetStreamBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Short pulls with frequent heartbeats: a pull lost while the cluster elects a consumer leader (a node just
        // killed, a consumer just made) is noticed and asked again within seconds, not the client's default 30.
        var consume = new NatsJSConsumeOpts
        {
            MaxMsgs = _options.PrefetchMessages,
            Expires = TimeSpan.FromSeconds(5),
            IdleHeartbeat = TimeSpan.FromSeconds(1),
        };
        await foreach (var message in _consumer.ConsumeAsync(NatsRawSerializer<byte[]>.Default, consume, cancellationToken).ConfigureAwait(false))
        {
            ulong sequence = message.Metadata?.Sequence.Stream ?? 0;
            if (sequence != 0 && sequence <= _lastSequence)
            {
                Interlocked.Increment(ref _replayed);
                await message.AckAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }
            var batch = Parse(message, sequence, out string? why);
            if (batch is null)
            {
                Interlocked.Increment(ref _bad);
                LastBadReason = $"message {sequence}: {why}";
                await message.AckAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _lastSequence = Math.Max(_lastSequence, sequence);
                continue;
            }
            if (batch.AlreadyTaken >= batch.Count)
            {
                Interlocked.Increment(ref _replayed);
                await message.AckAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _lastSequence = Math.Max(_lastSequence, sequence);
                continue;
            }
            _lastSequence = Math.Max(_lastSequence, sequence);
            yield return batch;
        }
    }

    /// <summary>Tells the server the batch is taken: it is not delivered again, to this consumer or after a restart.</summary>
    public async Task AckAsync(JetStreamBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await batch.Message.AckAsync(new AckOpts { DoubleAck = true }, cancellationToken).ConfigureAwait(false);
    }

    private JetStreamBatch? Parse(INatsJSMsg<byte[]> message, ulong sequence, out string? why)
    {
        why = null;
        var data = message.Data ?? [];
        var format = JetStreamHeaders.Parse(message.Headers?.TryGetValue(JetStreamHeaders.Format, out var value) == true ? value.ToString() : null);
        if (format is null)
        {
            why = $"no {JetStreamHeaders.Format} header of pcapng or ncap";
            return null;
        }
        int taken = _options.ResumeAfter is { } resume && resume.StreamSequence == sequence ? resume.Taken : 0;
        try
        {
            if (format == JetStreamBatchFormat.Ncap)
            {
                var messages = new List<NcapMessage>();
                using var reader = new NcapReader(new MemoryStream(data, writable: false));
                while (reader.Read()) messages.Add(reader.Current.ToMessage());
                if (reader.SkippedMessages > 0) why = $"{reader.SkippedMessages} malformed NCAP messages";
                else if (!CountMatches(message, messages.Count, out why)) { }
                return why is null ? new JetStreamBatch(message, sequence, JetStreamBatchFormat.Ncap, [], [], messages, taken) : null;
            }
            var packets = new List<Packet>();
            using var capture = CaptureReader.Open(new MemoryStream(data, writable: false));
            if (capture.Format != CaptureFormat.PcapNg)
            {
                why = $"a {capture.Format} stream, not pcapng";
                return null;
            }
            while (capture.Read()) packets.Add(capture.Current.ToPacket());
            if (capture.Interfaces.Count == 0) why = "no interface description";
            else CountMatches(message, packets.Count, out why);
            return why is null ? new JetStreamBatch(message, sequence, JetStreamBatchFormat.PcapNg, [.. capture.Interfaces], packets, [], taken) : null;
        }
        catch (Exception e) when (e is CaptureFormatException or IOException or InvalidDataException or ArgumentException)
        {
            why = e.Message;
            return null;
        }
    }

    /// <summary>The count the sender stated: a batch cut short (or padded) somewhere on the way does not pass.</summary>
    private static bool CountMatches(INatsJSMsg<byte[]> message, int parsed, out string? why)
    {
        why = null;
        if (message.Headers?.TryGetValue(JetStreamHeaders.Count, out var value) == true
            && int.TryParse(value.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int stated)
            && stated == parsed)
            return true;
        why = $"{parsed} records parsed, {JetStreamHeaders.Count} says {(message.Headers?.TryGetValue(JetStreamHeaders.Count, out var said) == true ? said.ToString() : "nothing")}";
        return false;
    }
}
