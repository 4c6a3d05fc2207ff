using NATS.Client.Core;
using NATS.Client.JetStream;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Nats;

namespace Wirecap.Cli;

/// <summary><c>wirecap --listen nats://HOST:PORT/SUBJECT [-c N] [-w FILE]</c>: read a capture back from JetStream
/// through a durable consumer (<c>--durable</c>), from the stream's start, printing or writing pcapng like <c>-r</c>:
/// pcapng batches as they are, NCAP batches as the raw IP packets <c>-r FILE.ncap</c> makes of them. -c N stops after
/// exactly N packets, in the middle of a batch if need be (that batch is left unacknowledged, so it comes again).
/// With -w FILE a checkpoint beside it (FILE.checkpoint) makes a run that was killed resume where it stopped: the
/// file is cut back to the last checkpoint and continued, in a new pcapng section, with nothing lost or written twice.</summary>
internal static class NatsListenCommand
{
    public static async Task<int> RunAsync(CliOptions options, NatsTarget target, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone, CancellationToken cancellationToken)
    {
        if (options.Rotates) throw new CliUsageException("-C/-G/-W do not apply to --listen nats");
        if (options.WriteFormat is { } format && format != CaptureFormat.PcapNg) throw new CliUsageException("--listen nats writes pcapng");
        string? checkpointPath = options.WriteFile is { } file && file != "-" ? file + ".checkpoint" : null;
        var checkpoint = checkpointPath is null ? null : JetStreamCheckpoint.Load(checkpointPath);
        await using var connection = new NatsConnection(options.NatsOptions(target));
        await connection.ConnectAsync();
        var source = await JetStreamCaptureSource.OpenAsync(new NatsJSContext(connection), new JetStreamSourceOptions
        {
            Subject = target.Subject,
            Durable = options.Durable,
            ResumeAfter = checkpoint,
        }, cancellationToken);
        await using var output = NatsListenOutput.Open(options, checkpoint, stdout, timeZone);
        await stderr.WriteLineAsync($"wirecap: listening on {target.Url}/{target.Subject} through durable consumer '{options.Durable}'" +
            (checkpoint is null ? "" : $", resuming after stream message {checkpoint.StreamSequence}"));
        long limit = options.Count ?? long.MaxValue, total = 0, notPackets = 0;
        try
        {
            await foreach (var batch in source.ReadAsync(cancellationToken))
            {
                var (interfaces, packets) = NatsBatchPackets.Of(batch);
                int taken = batch.AlreadyTaken;
                for (; taken < batch.Count && total < limit; taken++)
                {
                    if (packets[taken] is not { } packet)
                    {
                        notPackets++;
                        continue;
                    }
                    output.Write(interfaces, packet);
                    total++;
                }
                // Flushed, then checkpointed, then acknowledged: a kill between any two of them loses and repeats nothing.
                long length = output.Flush();
                if (checkpointPath is not null) new JetStreamCheckpoint(batch.StreamSequence, taken, length).Save(checkpointPath);
                if (taken == batch.Count) await source.AckAsync(batch, cancellationToken);
                if (total >= limit) break;
            }
        }
        catch (OperationCanceledException)
        {
            // SIGINT or SIGTERM: what was written is flushed and checkpointed.
        }
        await stderr.WriteLineAsync($"{total} packets received from {target.Subject}, {source.BadMessages} bad messages skipped" +
            (source.LastBadReason is null ? "" : $" (last: {source.LastBadReason})") + $", {source.Replayed} batches delivered again skipped" +
            (notPackets == 0 ? "" : $", {notPackets} NCAP messages that make no IP packet skipped"));
        return CaptureCommand.Success;
    }
}
