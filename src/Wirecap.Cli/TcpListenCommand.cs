using System.Threading.Channels;
using Wirecap.Formats;
using Wirecap.Sinks;

namespace Wirecap.Cli;

/// <summary><c>wirecap --listen tcp:[ADDR:]PORT -w FILE|DIR</c>: collect pcap/pcapng streams. With a
/// directory (existing, or named with a trailing /) every connection gets its own file there,
/// until -c streams ended or SIGINT/SIGTERM; with a file name the first stream is written to it.
/// --max-streams, --max-stream-bytes, --max-directory-bytes and --idle-timeout bound what senders take; with --tls-*
/// only senders with a certificate of the CA get in. Each refusal and cut is written to standard error with its reason
/// and counted at the end.</summary>
internal static class TcpListenCommand
{
    public static async Task<int> RunAsync(CliOptions options, ListenTarget target, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (options.WriteFile is null or "-") throw new CliUsageException("--listen tcp needs -w FILE or -w DIRECTORY/");
        bool toDirectory = Directory.Exists(options.WriteFile) || options.WriteFile.EndsWith('/');
        string directory = toDirectory
            ? options.WriteFile
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.WriteFile))!, $".capture-collect-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var format = toDirectory ? options.WriteFormat ?? CaptureFormat.PcapNg : options.WriteFormat ?? FormatFromExtension(options.WriteFile);
        long limit = toDirectory ? options.Count ?? long.MaxValue : 1;
        var finished = Channel.CreateUnbounded<CollectedStream>();
        var limits = new TcpCaptureCollectorOptions
        {
            Format = format,
            MaxConcurrentStreams = options.MaxStreams ?? new TcpCaptureCollectorOptions().MaxConcurrentStreams,
            MaxBytesPerStream = options.MaxStreamBytes,
            MaxDirectoryBytes = options.MaxDirectoryBytes,
            IdleTimeout = options.IdleTimeoutSeconds is { } idle ? TimeSpan.FromSeconds(idle) : null,
            Tls = options.LoadTls(),
        };
        long refused = 0, cut = 0;
        await using (var collector = new TcpCaptureCollector(target.Endpoint, directory, limits))
        {
            collector.StreamCompleted += stream => finished.Writer.TryWrite(stream);
            collector.StreamRefused += refusal =>
            {
                Interlocked.Increment(ref refused);
                lock (stderr) stderr.WriteLine($"wirecap: {refusal.Reason}");
            };
            collector.Start();
            await target.WarnIfExposedAsync(stderr, authenticated: limits.Tls is not null);
            await stderr.WriteLineAsync($"wirecap: listening on {target.Describe(collector.LocalEndpoint.Port)} for pcap/pcapng streams" +
                (limits.Tls is null ? "" : " over TLS, from senders with a certificate of the --tls-ca authority"));
            try
            {
                for (long streams = 0; streams < limit; streams++)
                {
                    var stream = await finished.Reader.ReadAsync(cancellationToken);
                    if (!toDirectory) File.Move(stream.Path, options.WriteFile, overwrite: true);
                    string where = toDirectory ? stream.Path : options.WriteFile;
                    if (stream.Error is CollectorLimitException) cut++;
                    string ending = stream.Error switch
                    {
                        null => "",
                        CollectorLimitException reached => $" ({reached.Message})",
                        var error => $" (stream cut: {error.Message})",
                    };
                    lock (stderr) stderr.WriteLine($"{stream.Packets} packets from {stream.Remote} written to {where}{ending}");
                }
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM: streams still open are closed by the collector.
            }
        }
        if (!toDirectory && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        if (refused + cut > 0)
            await stderr.WriteLineAsync($"{Interlocked.Read(ref refused)} streams refused and {cut} cut by the collector's limits and checks");
        return CaptureCommand.Success;
    }

    private static CaptureFormat FormatFromExtension(string path) =>
        Path.GetExtension(path).Equals(".pcap", StringComparison.OrdinalIgnoreCase) ? CaptureFormat.Pcap : CaptureFormat.PcapNg;
}
