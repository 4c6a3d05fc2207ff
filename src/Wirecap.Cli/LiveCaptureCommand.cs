using System.Runtime.InteropServices;
using Wirecap.Decoding;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Ebpf;
using Wirecap.Linux;
using Wirecap.Linux.Tc;
using Wirecap.Sinks;

namespace Wirecap.Cli;

/// <summary><c>wirecap -i IFACE</c> and <c>wirecap -D</c>: live capture printed like tcpdump or written with -w,
/// stopped by -c, Ctrl-C or SIGTERM, with tcpdump's closing counts on standard error. The capture is the AF_PACKET
/// ring, with <c>--datapath tc</c> eBPF at TC, or with <c>--listen zephyr[:[ADDR:]PORT]</c> the frames a Zephyr device's
/// net_capture tunnels over UDP; everything after opening it works on any <see cref="ILiveCapture"/>.</summary>
internal static class LiveCaptureCommand
{
    public static bool Applies(CliOptions options) =>
        options.ListInterfaces || options.ListLinkTypes || options.Interface is not null || options.Listen is { Protocol: "zephyr" };

    public static async Task<int> RunAsync(CliOptions options, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone)
    {
        if (options.ReadFile is not null) throw new CliUsageException(options.Listen is null ? "-r and -i/-D cannot be combined" : "--listen and -r cannot be combined");
        if (options.Listen is not null && options.Interface is not null) throw new CliUsageException("--listen zephyr and -i cannot be combined");
        if (options.ListInterfaces) return await ListAsync(stdout);
        if (options.ListLinkTypes) return await ListLinkTypesAsync(options, stderr);

        using var stop = new StopSignals(options.Cancellation);

        var format = OutputFormat(options);
        // Rotation and -U are checked before the interface is opened, as tcpdump checks its options first.
        if (options.UsesFileSink) FileSinkCommand.Validate(options, format);
        try
        {
            if (options.Listen is { Protocol: not "zephyr" }) throw new CliUsageException("--listen receives captures from the network; it takes no -i");
            if (options.TcpSend is not null && options.WriteFile is not null) throw new CliUsageException("--send streams the capture and -w writes it: give one of them");
            using var capture = Open(options);
            using var exporter = options.TcpSend is { } send
                ? await TcpCaptureExporter.ConnectAsync(send.Host, send.Port, WriterOptions(capture, options, CaptureFormat.PcapNg),
                    options.PacketBuffered ? FlushPolicy.EveryPacket : null, cancellationToken: stop.Token)
                : null;
            if (options.Listen is { } zephyr) await zephyr.WarnIfExposedAsync(stderr, authenticated: false);
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
                await stderr.WriteLineAsync($"{exporter.PacketsSent} packets ({exporter.BytesSent} bytes) sent to tcp:{options.TcpSend.GetValueOrDefault().Host}:{options.TcpSend.GetValueOrDefault().Port}");
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
            if (capture is ZephyrCaptureReceiver receiver)
                await stderr.WriteLineAsync($"{receiver.TooShort} datagrams too short for {PacketPrinter.LinkName(receiver.LinkType)} not written");
            return CaptureCommand.Success;
        }
        catch (LinuxCaptureException e)
        {
            return await ReportAsync(e, stderr);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // --listen zephyr names its endpoint; --send tcp's connection failure says itself what it tried
            string where = options.Listen is { } listen ? $"{listen.Describe(listen.Endpoint.Port)}: " : "";
            await stderr.WriteLineAsync($"wirecap: {where}{e.Message}");
            return CaptureCommand.Failure;
        }
        catch (EbpfException e)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return CaptureCommand.Failure;
        }
        catch (Exception e) when (e is NATS.Client.Core.NatsException or Wirecap.Nats.JetStreamPublishException)
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

    private static ILiveCapture Open(CliOptions options)
    {
        if (options.Listen is { } zephyr) return OpenZephyr(options, zephyr);
        if (options.Datapath == LiveDatapath.Packet) return PacketCapture.Open(CaptureOptions(options));
        if (options.Interface == PacketCaptureOptions.AnyInterface)
            throw new CliUsageException("--datapath tc attaches to one interface; -i any needs --datapath packet");
        var (program, expression) = CliFilter.LiveFilter(options);
        return TcCapture.Open(new TcCaptureOptions
        {
            Interface = options.Interface!,
            Direction = options.Direction,
            SnapLength = Math.Min(options.SnapLength, TcCaptureOptions.MaximumSnapLength),
            Program = program,
            FilterExpression = expression,
            RingSize = options.BufferKiB is { } kib ? (int)Math.Min(kib * 1024, 1 << 30) : new TcCaptureOptions().RingSize,
            Attach = options.TcAttach,
        });
    }

    /// <summary>-y names what the datagrams hold, as net-capture.py's -c (LINUX_SLL) and -C (LINUX_SLL2).</summary>
    private static ZephyrCaptureReceiver OpenZephyr(CliOptions options, ListenTarget target)
    {
        var linkType = options.LinkTypeOverride ?? LinkType.Ethernet;
        if (linkType is not (LinkType.Ethernet or LinkType.LinuxSll or LinkType.LinuxSll2))
            throw new CliUsageException($"--listen zephyr takes -y EN10MB, LINUX_SLL or LINUX_SLL2 (got {PacketPrinter.LinkName(linkType)})");
        return ZephyrCaptureReceiver.Bind(new ZephyrReceiverOptions
        {
            Endpoint = target.Endpoint,
            LinkType = linkType,
            SnapLength = Math.Min(options.SnapLength, 65535),
            FilterExpression = options.Expression,
        });
    }

    private static PacketCaptureOptions CaptureOptions(CliOptions options)
    {
        var capture = new PacketCaptureOptions
        {
            Interface = options.Interface!,
            SnapLength = options.SnapLength,
            Promiscuous = !options.NoPromiscuous && options.Interface != PacketCaptureOptions.AnyInterface,
            Direction = options.Direction,
            Immediate = options.Immediate,
            NanosecondTimestamps = true,
            FilterExpression = options.Expression,
        };
        CliFilter.ConfigureLive(options, capture);
        if (options.BufferKiB is { } kib) capture.SizeRing(kib * 1024);
        return capture;
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
