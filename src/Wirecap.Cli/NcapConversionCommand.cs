using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;

namespace Wirecap.Cli;

/// <summary>
/// Every frames-to-NCAP conversion of the command line: <c>wirecap -r FILE|-i IFACE -w OUT.ncap</c> (or
/// <c>--format ncap</c>), with or without -1/-2, and <c>wirecap -r FILE --ncap-send HOST:PORT</c>. The file or
/// interface goes through the <see cref="NcapEngine"/> as a source (stamped with -1/-2 when given), so IP fragments
/// are reassembled as the engine does; an expression filters the messages, matched against each message's IP packet
/// after reassembly (an interface also gets it as its kernel filter, widened for fragments), and what passes is
/// written or sent in order. Conversion follows ncaptool (UDP and ICMP; no TCP, no ICMPv6), so the output equals ncaptool's.
/// Probes (<c>wirecap --probe SPEC… -w OUT.ncap</c>) are a live source like an interface: one message per sighting,
/// the expression matched by the engine after reassembly (so the probes keep fragments and run no filter of their own).
/// </summary>
internal static class NcapConversionCommand
{
    /// <summary>NCAP output (by -1/-2, --format ncap, a .ncap name or --ncap-send) from a file or interface, not
    /// one of the other senders or listeners.</summary>
    public static bool Applies(CliOptions options) =>
        (options.User1 is not null || options.User2 is not null || options.NcapSend is not null || WritesNcap(options))
        && options.TcpSend is null && options.Listen is null && options.NatsSend is null && options.NatsListen is null && !options.ListInterfaces;

    private static bool WritesNcap(CliOptions options) =>
        options.WriteFile is { } path && (options.WriteFormat ?? CaptureCommand.FormatFromExtension(path)) == CaptureFormat.Ncap;

    public static async Task<int> RunAsync(CliOptions options, Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (options.NcapSend is null) FileSinkCommand.Validate(options, options.WriteFormat ?? CaptureCommand.FormatFromExtension(options.WriteFile ?? ""));
        else if (options.Interface is not null || options.Probes.Count > 0) throw new CliUsageException("--ncap-send sends the packets read with -r, not a live capture");
        if (options.Track) throw new CliUsageException("--track prints; it cannot be combined with NCAP output");
        if (options.BpfFile is not null)
            throw new CliUsageException("--bpf-file does not apply to NCAP output: give an expression, which is matched against each message after reassembly");
        await using var engine = new NcapEngine(new NcapEngineOptions
        {
            Conversion = NcapConversionOptions.Ncaptool,
        });
        try
        {
            engine.SetFilter(options.NcapFilter?.Specification, options.Expression);
        }
        catch (Wirecap.Filter.FilterException e)
        {
            throw new CliFilterException($"bad filter expression: {e.Message}");
        }
        Exception? failure = null;
        engine.SourceEnded += (_, e) => failure ??= e.Source.Error;

        NcapSource source;
        try
        {
            source = AddSource(engine, options, stdin);
        }
        catch (Wirecap.Linux.LinuxCaptureException e)
        {
            return await LiveCaptureCommand.ReportAsync(e, stderr);
        }
        catch (Exception e) when (ProbeCaptureCommand.DescribeOpenFailure(e) is { } message)
        {
            await stderr.WriteLineAsync(message);
            return CaptureCommand.Failure;
        }
        if (source.Kind == NcapSourceKind.Interface)
            await stderr.WriteLineAsync($"wirecap: listening on {source.Label} for NCAP messages (UDP and ICMP)");

        using var sender = options.NcapSend is { } to
            ? NcapDatagramSender.Connect(to.Host, to.Port, new NcapDatagramSenderOptions { MaxMessagesPerSecond = options.NcapSendRate })
            : null;
        await using var output = sender is not null ? null
            : options.WriteFile == "-" ? new BufferedStream(stdout(), 1 << 16) as Stream
            : new FileStream(options.WriteFile!, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        if (output is not null) NcapEngine.WriteHeader(output);
        long limit = options.Count ?? long.MaxValue, written = 0;
        engine.Collect((in NcapRecord message, NcapSource _) =>
        {
            if (written == limit) return;
            if (output is null) NcapEngine.Send(message, sender!);
            else
            {
                engine.Write(message, output);
                if (options.PacketBuffered) output.Flush();
            }
            if (++written == limit) engine.Stop();
        }, cancellationToken: cancellationToken);
        if (output is not null) await output.FlushAsync(CancellationToken.None);
        if (source.Kind == NcapSourceKind.Interface)
        {
            await engine.DisposeAsync(); // ends the interface's reader, which then records the kernel's counts
            await stderr.WriteAsync($"\n{written} NCAP messages written\n{source.InterfaceStatistics?.Received ?? 0} packets received by filter\n" +
                $"{source.InterfaceStatistics?.DroppedByKernel ?? 0} packets dropped by kernel\n");
            return CaptureCommand.Success;
        }

        if (failure is not null)
        {
            await stderr.WriteLineAsync($"wirecap: {failure.Message}");
            return CaptureCommand.Failure;
        }
        long skipped = Enum.GetValues<NcapDropReason>().Where(r => r != NcapDropReason.Filtered).Sum(engine.Dropped);
        if (sender is not null)
            await stderr.WriteLineAsync($"{sender.MessagesSent} NCAP messages sent to {options.NcapSend!.Value.Host}:{options.NcapSend.Value.Port} " +
                $"({sender.HeadersSent} headers, {sender.DroppedWhileMuted} dropped while muted, {skipped} packets NCAP cannot carry)");
        else if (skipped > 0 && written < limit)
            await stderr.WriteLineAsync($"{skipped} packets not written: NCAP carries only IPv4/IPv6 UDP and ICMP ({DropReasons(engine)})");
        return CaptureCommand.Success;
    }

    private static NcapSource AddSource(NcapEngine engine, CliOptions options, Func<Stream> stdin)
    {
        if (options.Probes.Count > 0)
        {
            if (options.ReadFile is not null || options.Interface is not null) throw new CliUsageException("--probe cannot be combined with -r or -i");
            return engine.AddCapture(ProbeCaptureCommand.Open(options, expression: null), new NcapSourceOptions { User1 = options.User1, User2 = options.User2 });
        }
        if (options.Interface is { } name)
        {
            if (options.ReadFile is not null) throw new CliUsageException("-r and -i cannot be combined");
            return engine.AddInterface(name, new NcapInterfaceOptions
            {
                User1 = options.User1,
                User2 = options.User2,
                SnapLength = options.SnapLength,
                Promiscuous = !options.NoPromiscuous && name != Wirecap.Linux.PacketCaptureOptions.AnyInterface,
                Direction = options.Direction,
                RingSize = options.BufferKiB * 1024,
            });
        }
        var stamps = new NcapSourceOptions { User1 = options.User1, User2 = options.User2 };
        bool standardInput = options.ReadFile == "-";
        // The engine takes NCAP input message by message, as ncaptool -n does: its user fields and messages stay
        // as they are (-1/-2 apply on top), rather than being rebuilt into packets and converted back.
        // A file by path is read as every -r FILE is (large reads, no pipe); a missing one throws here, reported as such.
        return standardInput
            ? engine.AddCaptureFile(stdin(), options.ReadFile!, stamps, leaveOpen: true)
            : engine.AddCaptureFile(options.ReadFile!, stamps);
    }

    private static string DropReasons(NcapEngine engine) => string.Join(", ",
        Enum.GetValues<NcapDropReason>().Where(r => r != NcapDropReason.Filtered && engine.Dropped(r) > 0).Select(r => $"{r}: {engine.Dropped(r)}"));
}
