using Wirecap.Formats;
using Wirecap.Sinks;

namespace Wirecap.Cli;

/// <summary><c>wirecap -r FILE --send tcp:HOST:PORT</c>: stream the capture as pcapng over TCP
/// (to <c>wirecap --listen tcp:PORT</c>, or anything reading pcapng from a socket), over TLS with --tls-*.</summary>
internal static class TcpSendCommand
{
    public static async Task<int> RunAsync(CliOptions options, CaptureReader reader, string host, int port, TextWriter stderr, CancellationToken cancellationToken)
    {
        var writer = new CaptureWriterOptions
        {
            Interfaces = [.. reader.Interfaces],
            LinkType = reader.Interfaces.Count > 0 ? reader.Interfaces[0].LinkType : LinkType.Ethernet,
        };
        using var exporter = await TcpCaptureExporter.ConnectAsync(host, port, writer,
            options.PacketBuffered ? FlushPolicy.EveryPacket : null, tls: options.LoadTls(), cancellationToken: cancellationToken);
        var filter = CliRecordFilter.From(options, reader);
        int interfaces = reader.Interfaces.Count;
        while (exporter.PacketsSent < (options.Count ?? long.MaxValue) && await reader.ReadAsync(cancellationToken))
        {
            // pcapng input may describe more interfaces as it goes.
            while (interfaces < reader.Interfaces.Count) exporter.AddInterface(reader.Interfaces[interfaces++]);
            if (!CliRecordFilter.TryKeep(filter, reader, out var record))
                continue;
            exporter.Write(record);
        }
        exporter.Flush();
        (long packets, long bytes) = (exporter.PacketsSent, exporter.BytesSent);
        exporter.Dispose(); // under TLS, an IOException here says the collector did not take the whole stream
        await stderr.WriteLineAsync($"{packets} packets ({bytes} bytes) sent to tcp:{host}:{port}{(options.UsesTls ? " over TLS" : "")}");
        return CaptureCommand.Success;
    }
}
