using System.Runtime.InteropServices;
using Wirecap.Decoding;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Ebpf;
using Wirecap.Linux;
using Wirecap.Sinks;

namespace Wirecap.Cli;

/// <summary><c>wirecap -i IFACE</c> and <c>wirecap -D</c>: live capture printed like tcpdump or written with -w,
/// stopped by -c, Ctrl-C or SIGTERM, with tcpdump's closing counts on standard error. What is captured is a
/// <see cref="LiveSource"/> (an interface for -i; <see cref="ListenCommand"/> gives others); everything after
/// opening it works on any <see cref="ILiveCapture"/>.</summary>
internal static class LiveCaptureCommand
{
    public static bool Applies(CliOptions options) =>
        options.ListInterfaces || options.ListLinkTypes || options.Interface is not null;

    /// <summary>-i, -D or -L.</summary>
    public static async Task<int> RunAsync(CliOptions options, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone)
    {
        if (options.ReadFile is not null) throw new CliUsageException("-r and -i/-D cannot be combined");
        if (options.ListInterfaces) return await ListAsync(stdout);
        if (options.ListLinkTypes) return await ListLinkTypesAsync(options, stderr);
        return await RunAsync(options, InterfaceLiveSource.Instance, stdout, stderr, timeZone);
    }

    /// <summary>Captures from <paramref name="source"/> until -c, a signal or the source's end.</summary>
    public static async Task<int> RunAsync(CliOptions options, LiveSource source, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone)
    {

        using var stop = new StopSignals(options.Cancellation);

        var format = OutputFormat(options);
        // Rotation and -U are checked before the interface is opened, as tcpdump checks its options first.
        if (options.UsesFileSink) FileSinkCommand.Validate(options, format);
        try
        {
            if (options.TcpSend is not null && options.WriteFile is not null) throw new CliUsageException("--send streams the capture and -w writes it: give one of them");
            using var capture = source.Open(options);
            using var exporter = options.TcpSend is { } send
                ? await TcpCaptureExporter.ConnectAsync(send.Host, send.Port, WriterOptions(capture, options, CaptureFormat.PcapNg),
                    options.PacketBuffered ? FlushPolicy.EveryPacket : null, tls: options.LoadTls(), cancellationToken: stop.Token)
                : null;
            await source.WarnAsync(stderr);
            // The output exists before "listening on" is announced, as with tcpdump.
            using var sink = options.UsesFileSink ? FileSinkCommand.OpenSink(options, format, WriterOptions(capture, options, format)) : null;
            await using var writer = options.WriteFile is not null && sink is null ? OpenWriter(capture, options, format, stdout) : null;
            await stderr.WriteLineAsync($"wirecap: listening on {capture.InterfaceName}, link-type {PacketPrinter.LinkName(capture.LinkType)}, snapshot length {capture.SnapLength} bytes");
            var limit = options.Count ?? -1;
            long captured;
            if (options.NatsSend is { } nats)
            {
                var (connection, publisher, stream) = await NatsSendCommand.OpenAsync(options, nats, capture.WriterInterfaces, stop.Token);
                await using (connection)
                {
                    var publishing = new PublishingHandler(publisher);
                    captured = capture.Capture(ref publishing, limit, stop.Token);
                    await publisher.FlushAsync();
                    await NatsSendCommand.ReportAsync(publisher, stream, nats, stderr);
                }
            }
            else if (exporter is not null)
            {
                var sending = new SendingHandler(exporter);
                captured = capture.Capture(ref sending, limit, stop.Token);
                exporter.Flush();
                (long packets, long bytes) = (exporter.PacketsSent, exporter.BytesSent);
                exporter.Dispose(); // under TLS, an IOException here says the collector did not take the whole stream
                await stderr.WriteLineAsync($"{packets} packets ({bytes} bytes) sent to tcp:{options.TcpSend.GetValueOrDefault().Host}:{options.TcpSend.GetValueOrDefault().Port}{(options.UsesTls ? " over TLS" : "")}");
            }
            else if (sink is not null)
            {
                captured = sink.WriteFrom(capture, limit, stop.Token);
            }
            else if (writer is not null && options.PacketBuffered)
            {
                var flushing = new FlushingHandler(writer);
                captured = capture.Capture(ref flushing, limit, stop.Token);
            }
            else if (writer is not null)
            {
                var writing = new WritingHandler(writer);
                captured = capture.Capture(ref writing, limit, stop.Token);
            }
            else
            {
                captured = Print(capture, options, stdout, timeZone, limit, stop.Token);
            }
            var stats = capture.GetStatistics();
            await stderr.WriteAsync($"\n{captured} packets captured\n{stats.Received} packets received by filter\n{stats.DroppedByKernel} packets dropped by kernel\n");
            if (source.ClosingLine(capture) is { } closing) await stderr.WriteLineAsync(closing);
            return CaptureCommand.Success;
        }
        catch (LinuxCaptureException e)
        {
            return await ReportAsync(e, stderr);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await stderr.WriteLineAsync($"wirecap: {source.SocketErrorPrefix}{e.Message}");
            return CaptureCommand.Failure;
        }
        catch (EbpfException e)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return CaptureCommand.Failure;
        }
        catch (Exception e) when (e is NATS.Client.Core.NatsException or Wirecap.Nats.JetStreamPublishException
            or System.Security.Authentication.AuthenticationException)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return CaptureCommand.Failure;
        }
        catch (FilterException e)
        {
            await stderr.WriteLineAsync($"wirecap: bad filter expression: {e.Message}");
            return CaptureCommand.UsageError;
        }
    }

    /// <summary>Reports an interface that could not be captured on, with the -B advice for a ring too large; exit code 1.</summary>
    public static async Task<int> ReportAsync(LinuxCaptureException e, TextWriter stderr)
    {
        await stderr.WriteLineAsync($"wirecap: {e.Message}");
        if (e is RingAllocationException { RequestedBytes: > 0 } ring)
            await stderr.WriteLineAsync($"wirecap: the ring was {ring.RequestedBytes / 1024} KiB; ask for a smaller one with -B KiB");
        return CaptureCommand.Failure;
    }

    private static long Print(ILiveCapture capture, CliOptions options, Func<Stream> stdout, TimeZoneInfo timeZone, long limit, CancellationToken stop)
    {
        using var output = new StreamWriter(stdout(), bufferSize: 1 << 16) { AutoFlush = false };
        var printer = new PacketPrinter(options.PrinterOptions(timeZone));
        long total = 0;
        while (!stop.IsCancellationRequested && (limit < 0 || total < limit))
        {
            // Print block by block, flushing in between, so output keeps up with a slow trickle of packets.
            using var slice = CancellationTokenSource.CreateLinkedTokenSource(stop);
            slice.CancelAfter(TimeSpan.FromMilliseconds(250));
            total += capture.Capture((in CapturedFrame frame) =>
            {
                printer.Write(output, frame.LinkType, frame.Data, frame.TimestampNanoseconds, frame.OriginalLength);
                if (options.FlushEachLine) output.Flush();
            }, limit < 0 ? -1 : limit - total, slice.Token);
            output.Flush();
        }
        return total;
    }

    private static CaptureFormat OutputFormat(CliOptions options) =>
        options.WriteFormat ?? CaptureCommand.FormatFromExtension(options.WriteFile ?? "");

    private static CaptureWriterOptions WriterOptions(ILiveCapture capture, CliOptions options, CaptureFormat format) => new()
    {
        LinkType = capture.LinkType,
        SnapLength = capture.SnapLength,
        Precision = options.Nanoseconds ? TimestampPrecision.Nanosecond : TimestampPrecision.Microsecond,
        Interfaces = format == CaptureFormat.PcapNg ? [.. capture.WriterInterfaces] : [],
    };

    private static CaptureWriter OpenWriter(ILiveCapture capture, CliOptions options, CaptureFormat format, Func<Stream> stdout) =>
        options.WriteFile == "-"
            ? CaptureWriter.Create(stdout(), format, WriterOptions(capture, options, format))
            : CaptureWriter.Create(options.WriteFile!, format, WriterOptions(capture, options, format));

    /// <summary>-w: each frame from the ring into the writer, as the interface its capture point is.</summary>
    private readonly struct WritingHandler(CaptureWriter writer) : IFrameHandler
    {
        public void OnFrame(in CapturedFrame frame) => writer.Write(frame.ToRecord(frame.Point));
    }

    /// <summary>--send tcp:HOST:PORT: each frame streamed as pcapng, as the interface its capture point is.</summary>
    private readonly struct SendingHandler(TcpCaptureExporter exporter) : IFrameHandler
    {
        public void OnFrame(in CapturedFrame frame) => exporter.Write(frame.ToRecord(frame.Point));
    }

    /// <summary>--send nats://: each frame into the batch; a full batch is published and acknowledged in the callback.</summary>
    private readonly struct PublishingHandler(Wirecap.Nats.JetStreamCaptureSink sink) : IFrameHandler
    {
        public void OnFrame(in CapturedFrame frame) => sink.Write(frame.ToRecord(frame.Point));
    }

    /// <summary>-U to standard output: each frame is pushed out as it is written.</summary>
    private readonly struct FlushingHandler(CaptureWriter writer) : IFrameHandler
    {
        public void OnFrame(in CapturedFrame frame)
        {
            writer.Write(frame.ToRecord(frame.Point));
            writer.Flush();
        }
    }

    /// <summary>-L in tcpdump's words. The list holds what a capture here delivers: Ethernet devices (and loopback) give
    /// EN10MB, devices without a link-level header RAW, "any" and others Linux cooked v2. tcpdump also lists DOCSIS for
    /// Ethernet and cooked v1 for "any", which we do not capture.</summary>
    private static async Task<int> ListLinkTypesAsync(CliOptions options, TextWriter stderr)
    {
        var devices = CaptureDevices.List();
        string? name = options.Interface ?? devices.FirstOrDefault(d => d.IsUp && d.IsRunning && !d.IsLoopback)?.Name;
        LinkType linkType;
        if (name == PacketCaptureOptions.AnyInterface) linkType = LinkType.LinuxSll2;
        else if (devices.FirstOrDefault(d => d.Name == name) is { } device) linkType = device.LinkType;
        else
        {
            await stderr.WriteLineAsync(name is null ? "wirecap: no interface is up; give one with -i" : $"wirecap: {name}: no such device exists");
            return CaptureCommand.Failure;
        }
        // On standard error, as tcpdump 4.99 writes it.
        await stderr.WriteAsync($"Data link types for {name} (use option -y to set):\n  {PacketPrinter.LinkName(linkType)}\n");
        return CaptureCommand.Success;
    }

    private static async Task<int> ListAsync(Func<Stream> stdout)
    {
        await using var output = new StreamWriter(stdout());
        var number = 1;
        foreach (var entry in DeviceListing.Ordered())
            await output.WriteLineAsync(DeviceListing.Line(number++, entry));
        return CaptureCommand.Success;
    }
}
