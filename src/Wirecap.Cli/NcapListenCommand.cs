using Wirecap.Formats.Ncap;
using Wirecap.Ncap;

namespace Wirecap.Cli;

/// <summary><c>wirecap --listen udp:[ADDR:]PORT</c>: receive NCAP datagrams and write them as an NCAP
/// file with -w (user fields stamped by -1/-2, flushed per message with -U) or print them; stop
/// after -c messages or on SIGINT/SIGTERM.</summary>
internal static class NcapListenCommand
{
    public static async Task<int> RunAsync(CliOptions options, ListenTarget target, Func<Stream> stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (options.Rotates) throw new CliUsageException("-C/-G/-W do not apply to --listen udp (NCAP output)");
        using var receiver = NcapDatagramReceiver.Bind(target.Endpoint);
        await target.WarnIfExposedAsync(stderr, authenticated: false);
        await stderr.WriteLineAsync($"wirecap: listening on {target.Describe(receiver.LocalEndPoint.Port)} for NCAP datagrams");
        long limit = options.Count ?? long.MaxValue, received = 0, filtered = 0;
        NcapWriter? writer = options.WriteFile switch
        {
            null => null,
            "-" => new NcapWriter(stdout()),
            var path => NcapWriter.Create(path),
        };
        var printer = writer is null ? new StreamWriter(stdout(), bufferSize: 1 << 16) : null;
        try
        {
            while (received < limit)
            {
                if (!receiver.TryReceive(out var record, out var sender, Timeout.InfiniteTimeSpan, cancellationToken)) continue;
                if (options.NcapFilter is { } filter && !filter.Matches(record))
                {
                    filtered++;
                    continue;
                }
                var stamped = NcapStamping.Stamp(record, options);
                if (writer is not null)
                {
                    writer.Write(stamped);
                    if (options.PacketBuffered) writer.Flush();
                }
                else
                {
                    printer!.Write(NcapTraceLine.Format(stamped, sender));
                    if (options.FlushEachLine) printer.Flush();
                }
                received++;
            }
        }
        catch (OperationCanceledException)
        {
            // SIGINT or SIGTERM: close the output normally.
        }
        finally
        {
            writer?.Dispose();
            if (printer is not null) await printer.DisposeAsync();
        }
        await stderr.WriteLineAsync($"{received} NCAP messages received{(options.NcapFilter is null ? "" : $" ({filtered} more left out by --ncap-filter)")}, {receiver.IgnoredBeforeHeader} ignored before a header, {receiver.Malformed} malformed, {receiver.Gaps} lost (from sequence numbers)");
        return CaptureCommand.Success;
    }
}
