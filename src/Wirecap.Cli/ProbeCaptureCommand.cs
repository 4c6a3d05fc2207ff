using System.Runtime.InteropServices;
using Wirecap.Decoding;
using Wirecap.Ebpf;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Linux.Probes;

namespace Wirecap.Cli;

/// <summary>
/// <c>wirecap --probe SPEC...</c> and <c>wirecap --list-probes</c>: packets at kernel tracepoints and functions, printed
/// with the probe and interface in front (<c>[tp] net:netif_receive_skb if 4 (eth0) IP ...</c>, as Retis
/// prints them) or written with -w (pcapng by default: one interface per probe, Retis' comments); --track
/// groups the sightings of each packet; -c, Ctrl-C or SIGTERM stop.
/// </summary>
internal static class ProbeCaptureCommand
{
    public static bool Applies(CliOptions options) => options.ListProbes || options.Probes.Count > 0;

    public static async Task<int> RunAsync(CliOptions options, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone)
    {
        if (options.ReadFile is not null || options.Interface is not null) throw new CliUsageException("--probe cannot be combined with -r or -i");
        if (options.ListProbes) return await ListAsync(stdout);
        if (options.Track && options.WriteFile is not null) throw new CliUsageException("--track prints; it cannot be combined with -w");

        using var stop = new StopSignals(options.Cancellation);
        try
        {
            using var capture = Open(options, options.Expression);
            var format = options.WriteFormat ?? (options.WriteFile is { } file && Path.GetExtension(file) is ".pcap" or ".ncap"
                ? CaptureCommand.FormatFromExtension(file) : CaptureFormat.PcapNg);
            await using var writer = options.WriteFile is null ? null : OpenWriter(options, format, capture, stdout);
            await stderr.WriteLineAsync($"wirecap: listening on {capture.Probes.Count} probe(s): " +
                string.Join(", ", capture.Probes.Select(p => $"{p.Spec} ({p.Attachment})")) +
                (capture.NetnsInode is { } inode ? $", network namespace {options.Netns} ({inode})" : ", every network namespace") +
                $", snapshot length {capture.SnapLength} bytes");
            long limit = options.Count ?? -1;
            long captured = writer is not null
                ? capture.CaptureTo(writer, limit, stop.Token)
                : Print(capture, options, stdout, timeZone, limit, stop.Token);
            var stats = capture.GetStatistics();
            await stderr.WriteAsync($"\n{captured} packets captured\n{stats.Seen} skbs seen by the probes\n{stats.Filtered} filtered out\n" +
                $"{stats.LostRingFull} lost (ring buffer full)\n{stats.NoPacketData} without packet data\n");
            return CaptureCommand.Success;
        }
        catch (ProbeException e)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return CaptureCommand.Failure;
        }
        catch (EbpfException e)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return CaptureCommand.Failure;
        }
        catch (Wirecap.Ebpf.Btf.BtfException e)
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

    /// <summary>Opens the probes the options name, with <paramref name="expression"/> run in them.</summary>
    public static ProbeCapture Open(CliOptions options, string? expression) => ProbeCapture.Open(new ProbeCaptureOptions
    {
        Probes = options.Probes,
        FilterExpression = expression,
        Netns = options.Netns,
        SnapLength = Math.Clamp(options.SnapLength, 15, ProbeCaptureOptions.MaximumSnapLength),
        RawTracepoints = options.RawTracepoints,
    });

    /// <summary>What went wrong opening probes, as one line for standard error; null for anything else.</summary>
    public static string? DescribeOpenFailure(Exception e) => e switch
    {
        ProbeException or EbpfException or Wirecap.Ebpf.Btf.BtfException => $"wirecap: {e.Message}",
        _ => null,
    };

    private static async Task<int> ListAsync(Func<Stream> stdout)
    {
        var catalog = ProbeCatalog.Discover();
        await using var output = new StreamWriter(stdout());
        await output.WriteLineAsync($"{catalog.Tracepoints.Count} tracepoints with a struct sk_buff * argument (from {Wirecap.Ebpf.Btf.BtfTypes.VmlinuxPath}):");
        foreach (var tp in catalog.Tracepoints)
            await output.WriteLineAsync($"  {tp.Spec,-48} {tp.Signature}{(tp.HasDropReason ? "  [drop reason]" : "")}");
        await output.WriteLineAsync($"kprobe:FUNCTION  {catalog.Kprobes ?? "available"}");
        await output.WriteLineAsync($"fentry:FUNCTION  {catalog.Fentry ?? "available"}");
        return CaptureCommand.Success;
    }

    private static CaptureWriter OpenWriter(CliOptions options, CaptureFormat format, ProbeCapture capture, Func<Stream> stdout)
    {
        var writerOptions = capture.WriterOptions(format);
        return options.WriteFile == "-"
            ? CaptureWriter.Create(stdout(), format, writerOptions)
            : CaptureWriter.Create(options.WriteFile!, format, writerOptions);
    }

    private static long Print(ProbeCapture capture, CliOptions options, Func<Stream> stdout, TimeZoneInfo timeZone, long limit, CancellationToken stop)
    {
        using var output = new StreamWriter(stdout(), bufferSize: 1 << 16) { AutoFlush = false };
        var lines = new ProbeLineFormatter(capture, options, timeZone);
        var tracks = new Dictionary<ProbeTrackingId, List<string>>();
        long total = 0;
        while (!stop.IsCancellationRequested && (limit < 0 || total < limit))
        {
            // Print in slices, flushing in between, so output keeps up with a slow trickle of packets.
            using var slice = CancellationTokenSource.CreateLinkedTokenSource(stop);
            slice.CancelAfter(TimeSpan.FromMilliseconds(250));
            total += capture.Capture((in ProbeEvent e) =>
            {
                string line = lines.Format(e);
                if (!options.Track) output.WriteLine(line);
                else if (tracks.TryGetValue(e.Tracking, out var seen)) seen.Add(line);
                else tracks[e.Tracking] = [line];
            }, limit < 0 ? -1 : limit - total, slice.Token);
            output.Flush();
        }
        // --track: each packet's way through the probes, in the order its first sighting arrived (as retis sort groups them).
        foreach (var (id, sightings) in tracks)
        {
            output.WriteLine($"{id} ({sightings.Count} sighting{(sightings.Count == 1 ? "" : "s")})");
            foreach (var line in sightings) output.WriteLine("  " + line);
        }
        output.Flush();
        return total;
    }
}
