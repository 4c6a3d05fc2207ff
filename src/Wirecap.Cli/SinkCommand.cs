using Wirecap.Decoding;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>Dispatches the sink options: <c>--ncap-send</c>, <c>--send tcp:</c>, -w with rotation (-C/-G/-W) or -U,
/// and NCAP output (with or without -1/-2); and runs <see cref="ListenCommand"/>'s receivers the same way
/// (<see cref="RunAsync(CliOptions, TextWriter, Func{CancellationToken, Task{int}})"/>). A filter applies to the file
/// copies (rotation, -U), to --send tcp and to the NCAP conversion; --ncap-send and --listen take none.</summary>
internal static class SinkCommand
{
    public static bool Applies(CliOptions options) =>
        options.NcapSend is not null || options.TcpSend is not null || options.NatsSend is not null
        || options.UsesFileSink || NcapConversionCommand.Applies(options);

    public static Task<int> RunAsync(CliOptions options, Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone) =>
        RunAsync(options, stderr, async stop =>
        {
            if (NcapConversionCommand.Applies(options) && (options.ReadFile ?? options.Interface) is not null || options.Probes.Count > 0)
                return await NcapConversionCommand.RunAsync(options, stdin, stdout, stderr, stop);
            if (options.ReadFile is null) throw new CliUsageException("no input: give -r FILE (- for standard input)");
            await using var reader = options.ReadFile == "-"
                ? await CaptureFiles.OpenReaderAsync(stdin())
                : await CaptureFiles.OpenReaderAsync(options.ReadFile);
            if (options.NatsSend is { } nats) return await NatsSendCommand.RunAsync(options, reader, nats, stderr, stop);
            if (options.TcpSend is { } send) return await TcpSendCommand.RunAsync(options, reader, send.Host, send.Port, stderr, stop);
            return await FileSinkCommand.RunAsync(options, reader, stop);
        });

    /// <summary>Runs a sink until it ends or SIGINT/SIGTERM (the token <paramref name="run"/> gets), after the checks
    /// every sink shares; its I/O, format and network failures are reported on standard error as exit code 1.</summary>
    public static async Task<int> RunAsync(CliOptions options, TextWriter stderr, Func<CancellationToken, Task<int>> run)
    {
        if (options.Expression is not null && (options.NcapSend is not null || options.Listen is not null || options.NatsListen is not null) && !NcapConversionCommand.Applies(options))
            throw new CliUsageException($"filter expressions are not supported with --ncap-send or --listen (got '{options.Expression}')");
        if (Destinations(options) > 1)
            throw new CliUsageException("give only one of --ncap-send, --send and --listen");
        using var stop = new StopSignals(options.Cancellation);
        try
        {
            return await run(stop.Token);
        }
        catch (Exception e) when (e is CaptureFormatException or IOException or UnauthorizedAccessException or SocketException
            or NATS.Client.Core.NatsException or FormatException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
        {
            await stderr.WriteLineAsync($"wirecap: {Where(options, e)}{e.Message}");
            return CaptureCommand.Failure;
        }
    }

    /// <summary>The option a connection failure comes from, so that the message names it: the NATS server of --send
    /// or --listen nats://, the address --listen could not bind.</summary>
    private static string Where(CliOptions options, Exception e) => e switch
    {
        NATS.Client.Core.NatsException when options.NatsSend is { } send => $"--send {send.Url}: ",
        NATS.Client.Core.NatsException when options.NatsListen is { } listen => $"--listen {listen.Url}: ",
        SocketException when options.Listen is { } listen => $"--listen {listen.Describe(listen.Endpoint.Port)}: ",
        _ => "",
    };

    /// <summary>How many of the one-destination options were given.</summary>
    public static int Destinations(CliOptions options) =>
        (options.NcapSend is not null ? 1 : 0) + (options.TcpSend is not null ? 1 : 0) + (options.NatsSend is not null ? 1 : 0)
        + (options.Listen is not null ? 1 : 0) + (options.NatsListen is not null ? 1 : 0);
}
