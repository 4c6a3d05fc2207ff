using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wirecap.Decoding;
using Wirecap.Ncap;

namespace DnsMonitor;

/// <summary>Collects DNS answers with the NCAP engine and logs each NXDOMAIN with the name asked for.</summary>
public sealed partial class NxdomainMonitor(IOptions<DnsMonitorOptions> options, NxdomainMetrics metrics,
    IHostApplicationLifetime lifetime, ILogger<NxdomainMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Interfaces.Count == 0 && settings.Files.Count == 0)
        {
            NothingToWatch(logger);
            lifetime.StopApplication();
            return;
        }

        await using var engine = new NcapEngine(new NcapEngineOptions { Name = "dns-monitor" });
        engine.SetFilter(settings.Filter);
        engine.SourceEnded += (_, e) =>
        {
            if (e.Source.Error is { } error) SourceFailed(logger, e.Source.Description, error.Message);
        };
        foreach (var name in settings.Interfaces) engine.AddInterface(name);
        foreach (var path in settings.Files) engine.AddCaptureFile(path);
        Watching(logger, settings.Interfaces.Count, settings.Files.Count, settings.Filter);

        long answers = 0;
        await foreach (var collected in engine.CollectAsync(stoppingToken))
        {
            var message = collected.Message;
            var server = message.Source.ToString();
            metrics.Seen(server);
            answers++;
            Nxdomain(logger, QuestionName(message.Payload.Span), server, message.Destination.ToString(), collected.Source.Description);
        }
        Finished(logger, answers, engine.Dropped(NcapDropReason.Filtered));
        // Files end; interfaces run until the host stops. Either way the host's work is done here.
        lifetime.StopApplication();
    }

    /// <summary>The first question's name, or "?" when the answer is too damaged to say.</summary>
    private static string QuestionName(ReadOnlySpan<byte> dns)
    {
        var name = new StringBuilder();
        return DnsName.Append(dns, 12, name) > 0 && name.Length > 0 ? name.ToString() : "?";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "NXDOMAIN for {Name} from {Server} to {Client} ({Source})")]
    private static partial void Nxdomain(ILogger logger, string name, string server, string client, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "watching {Interfaces} interface(s) and {Files} file(s) with filter '{Filter}'")]
    private static partial void Watching(ILogger logger, int interfaces, int files, string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "done: {Answers} NXDOMAIN answer(s), {Other} other message(s) filtered out")]
    private static partial void Finished(ILogger logger, long answers, long other);

    [LoggerMessage(Level = LogLevel.Error, Message = "source {Source} failed: {Reason}")]
    private static partial void SourceFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "nothing to watch: set DnsMonitor:Interfaces or DnsMonitor:Files")]
    private static partial void NothingToWatch(ILogger logger);
}
