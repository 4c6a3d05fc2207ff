using System.Net;
using System.Threading.Channels;
using Wirecap.Formats;
using Wirecap.Sinks;

namespace Wirecap.Cli;

/// <summary><c>wirecap --listen tcp:PORT -w FILE|DIR</c>: collect pcap/pcapng streams. With a
/// directory (existing, or named with a trailing /) every connection gets its own file there,
/// until -c streams ended or SIGINT/SIGTERM; with a file name the first stream is written to it.</summary>
internal static class TcpListenCommand
{
    public static async Task<int> RunAsync(CliOptions options, int port, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (options.ReadFile is not null) throw new CliUsageException("--listen and -r cannot be combined");
        if (options.WriteFile is null or "-") throw new CliUsageException("--listen tcp needs -w FILE or -w DIRECTORY/");
        bool toDirectory = Directory.Exists(options.WriteFile) || options.WriteFile.EndsWith('/');
        string directory = toDirectory
            ? options.WriteFile
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.WriteFile))!, $".capture-collect-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var format = toDirectory ? options.WriteFormat ?? CaptureFormat.PcapNg : options.WriteFormat ?? FormatFromExtension(options.WriteFile);
        long limit = toDirectory ? options.Count ?? long.MaxValue : 1;
        var finished = Channel.CreateUnbounded<CollectedStream>();
        await using (var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Any, port), directory, format))
        {
            collector.StreamCompleted += stream => finished.Writer.TryWrite(stream);
            collector.Start();
            await stderr.WriteLineAsync($"wirecap: listening on tcp:{collector.LocalEndpoint.Port} for pcap/pcapng streams");
            try
            {
                for (long streams = 0; streams < limit; streams++)
                {
                    var stream = await finished.Reader.ReadAsync(cancellationToken);
                    if (!toDirectory) File.Move(stream.Path, options.WriteFile, overwrite: true);
                    string where = toDirectory ? stream.Path : options.WriteFile;
                    await stderr.WriteLineAsync($"{stream.Packets} packets from {stream.Remote} written to {where}{(stream.Error is null ? "" : $" (stream cut: {stream.Error.Message})")}");
                }
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM: streams still open are closed by the collector.
            }
        }
        if (!toDirectory && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        return CaptureCommand.Success;
    }

    private static CaptureFormat FormatFromExtension(string path) =>
        Path.GetExtension(path).Equals(".pcap", StringComparison.OrdinalIgnoreCase) ? CaptureFormat.Pcap : CaptureFormat.PcapNg;
}
