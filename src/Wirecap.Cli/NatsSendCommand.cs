using NATS.Client.Core;
using NATS.Client.JetStream;
using Wirecap.Formats;
using Wirecap.Nats;

namespace Wirecap.Cli;

/// <summary><c>wirecap (-r FILE | -i IFACE) --send nats://HOST:PORT/SUBJECT [--replicas N]</c>: publish the capture in
/// pcapng batches to a JetStream subject, creating its stream when none takes it, each batch acknowledged before the
/// next; the counts of what the stream took, refused and had to be asked again go to standard error.</summary>
internal static class NatsSendCommand
{
    /// <summary>Connects, makes sure a stream takes the subject, and returns a sink for <paramref name="interfaces"/>.</summary>
    public static async Task<(NatsConnection Connection, JetStreamCaptureSink Sink, string Stream)> OpenAsync(
        CliOptions options, NatsTarget target, IReadOnlyList<CaptureInterface> interfaces, CancellationToken cancellationToken)
    {
        var connection = new NatsConnection(options.NatsOptions(target));
        try
        {
            await connection.ConnectAsync();
            var js = new NatsJSContext(connection);
            string stream = await JetStreamCaptureSink.EnsureStreamAsync(js, target.Subject, options.Replicas ?? 1, cancellationToken);
            var sink = new JetStreamCaptureSink(js, new JetStreamSinkOptions { Subject = target.Subject, Interfaces = interfaces });
            return (connection, sink, stream);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public static async Task<int> RunAsync(CliOptions options, CaptureReader reader, NatsTarget target, TextWriter stderr, CancellationToken cancellationToken)
    {
        IReadOnlyList<CaptureInterface> interfaces = reader.Interfaces.Count > 0 ? [.. reader.Interfaces] : [new CaptureInterface()];
        var (connection, sink, stream) = await OpenAsync(options, target, interfaces, cancellationToken);
        await using (connection)
        {
            var filter = CliRecordFilter.From(options, reader);
            int described = interfaces.Count;
            long written = 0;
            while (written < (options.Count ?? long.MaxValue) && await reader.ReadAsync(cancellationToken))
            {
                while (described < reader.Interfaces.Count) sink.AddInterface(reader.Interfaces[described++]);
                if (!CliRecordFilter.TryKeep(filter, reader, out var record)) continue;
                sink.Write(record);
                written++;
            }
            await sink.FlushAsync(cancellationToken);
            await ReportAsync(sink, stream, target, stderr);
        }
        return sink.PacketsRefused > 0 ? CaptureCommand.Failure : CaptureCommand.Success;
    }

    public static Task ReportAsync(JetStreamCaptureSink sink, string stream, NatsTarget target, TextWriter stderr) =>
        stderr.WriteLineAsync($"{sink.PacketsPublished} packets ({sink.BytesPublished} bytes in {sink.BatchesPublished} batches) acknowledged by stream {stream} on {target.Subject}" +
            $"; {sink.PacketsRefused} refused ({sink.BatchesRefused} batches), {sink.Retries} publishes retried");
}
