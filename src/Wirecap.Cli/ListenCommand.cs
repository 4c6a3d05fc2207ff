namespace Wirecap.Cli;

/// <summary><c>--listen</c>, whatever it names: the one place that picks the command for each protocol. udp (NCAP
/// datagrams), tcp (pcap/pcapng streams) and nats:// (a JetStream subject) are receivers run as sinks; zephyr's frames
/// are a live capture (<see cref="ZephyrLiveSource"/>), printed, written, rotated and sent as -i's are.</summary>
internal static class ListenCommand
{
    /// <summary>--listen, unless -D/-L ask for a list instead.</summary>
    public static bool Applies(CliOptions options) =>
        (options.Listen is not null || options.NatsListen is not null) && !options.ListInterfaces && !options.ListLinkTypes;

    public static Task<int> RunAsync(CliOptions options, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone)
    {
        if (options.ReadFile is not null) throw new CliUsageException("--listen and -r cannot be combined");
        if (options.Interface is not null) throw new CliUsageException("--listen receives captures from the network; it takes no -i");
        if (options.NatsListen is { } nats)
            return SinkCommand.RunAsync(options, stderr, stop => NatsListenCommand.RunAsync(options, nats, stdout, stderr, timeZone, stop));
        var target = options.Listen!;
        return target.Protocol switch
        {
            "udp" => SinkCommand.RunAsync(options, stderr, stop => NcapListenCommand.RunAsync(options, target, stdout, stderr, stop)),
            "tcp" => SinkCommand.RunAsync(options, stderr, stop => TcpListenCommand.RunAsync(options, target, stderr, stop)),
            "zephyr" => LiveCaptureCommand.RunAsync(options, new ZephyrLiveSource(target), stdout, stderr, timeZone),
            var other => throw new CliUsageException($"--listen {other} is not a protocol ({ListenTarget.Syntax})"),
        };
    }
}
