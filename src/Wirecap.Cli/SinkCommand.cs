using Wirecap.Decoding;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>Dispatches the sink options: <c>--ncap-send</c>, <c>--send tcp:</c>, <c>--listen</c>,
/// -w with rotation (-C/-G/-W) or -U, and NCAP output (with or without -1/-2). A filter applies to the file copies
/// (rotation, -U), to --send tcp and to the NCAP conversion; --ncap-send and --listen take none.</summary>
internal static class SinkCommand
{
    public static bool Applies(CliOptions options) =>
        options.NcapSend is not null || options.TcpSend is not null || options.Listen is not null
        || options.NatsSend is not null || options.NatsListen is not null
        || options.UsesFileSink || NcapConversionCommand.Applies(options);

    public static async Task<int> RunAsync(CliOptions options, Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone)
    {
        if (options.Expression is not null && (options.NcapSend is not null || options.Listen is not null || options.NatsListen is not null) && !NcapConversionCommand.Applies(options))
            throw new CliUsageException($"filter expressions are not supported with --ncap-send or --listen (got '{options.Expression}')");
        if (Destinations(options) > 1)
            throw new CliUsageException("give only one of --ncap-send, --send and --listen");
        using var stop = new StopSignals(options.Cancellation);
        try
        {
            if (options.NatsListen is { } natsListen)
                return await NatsListenCommand.RunAsync(options, natsListen, stdout, stderr, timeZone, stop.Token);
            if (options.Listen is { Protocol: "udp" } udp)
                return await NcapListenCommand.RunAsync(options, udp, stdout, stderr, stop.Token);
            if (options.Listen is { Protocol: "tcp" } tcp)
                return await TcpListenCommand.RunAsync(options, tcp, stderr, stop.Token);
            if (NcapConversionCommand.Applies(options) && (options.ReadFile ?? options.Interface) is not null || options.Probes.Count > 0)
                return await NcapConversionCommand.RunAsync(options, stdin, stdout, stderr, stop.Token);
            if (options.ReadFile is null) throw new CliUsageException("no input: give -r FILE (- for standard input)");
            await using var reader = options.ReadFile == "-"
                ? await CaptureFiles.OpenReaderAsync(stdin())
                : await CaptureFiles.OpenReaderAsync(options.ReadFile);
            if (options.NatsSend is { } nats) return await NatsSendCommand.RunAsync(options, reader, nats, stderr, stop.Token);
            if (options.TcpSend is { } send) return await TcpSendCommand.RunAsync(options, reader, send.Host, send.Port, stderr, stop.Token);
            return await FileSinkCommand.RunAsync(options, reader, stop.Token);
        }
        catch (Exception e) when (e is CaptureFormatException or IOException or UnauthorizedAccessException or SocketException
            or NATS.Client.Core.NatsException or FormatException or InvalidOperationException)
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
