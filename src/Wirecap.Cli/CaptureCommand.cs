using Wirecap.Bpf;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Cli.Sample;

namespace Wirecap.Cli;

/// <summary>The <c>capture</c> command: read a capture file, print it like tcpdump -n or write it
/// in another format. Exit codes: 0 success, 1 failure (unreadable or malformed input) or an unknown option (as
/// tcpdump), 2 a bad value or a combination of options that cannot work.</summary>
internal static class CaptureCommand
{
    public const int Success = 0, Failure = 1, UsageError = 2;

    /// <param name="cancellationToken">Ends a capture or listener as SIGINT does (for a caller running the command in-process).</param>
    public static async Task<int> RunAsync(string[] args, Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo? timeZone = null,
        CancellationToken cancellationToken = default)
    {
        CliOptions options;
        try
        {
            options = CliOptions.Parse(args);
            options.Cancellation = cancellationToken;
            CliCombinations.Check(options);
            if (options.Help)
            {
                await using var help = new StreamWriter(stdout());
                await help.WriteAsync(CliOptions.Usage());
                return Success;
            }
            if (options.Version)
            {
                await using var version = new StreamWriter(stdout());
                await version.WriteAsync(VersionText());
                return Success;
            }
            options.LoadExpressionFile();
            // -i N: the N-th interface of -D's list, as tcpdump takes a number (for every command that captures).
            if (options.Interface is { Length: > 0 } given && given.All(char.IsAsciiDigit))
                options.Interface = DeviceListing.NameOf(int.Parse(given, System.Globalization.CultureInfo.InvariantCulture));
            if (options.MakeSample is not null)
            {
                SampleCapture.Write(options.MakeSample);
                return Success;
            }
            options.RequireNcapOutputForNcapFilter(NcapConversionCommand.Applies(options));
            options.RequireTcpStreamForTls();
            if (BpfDumpCommand.Applies(options))
                return await BpfDumpCommand.RunAsync(options, stdin, stdout);
            if (ProbeCaptureCommand.Applies(options) && (options.ListProbes || !NcapConversionCommand.Applies(options)))
                return await ProbeCaptureCommand.RunAsync(options, stdout, stderr, timeZone ?? TimeZoneInfo.Local);
            if (ListenCommand.Applies(options))
                return await ListenCommand.RunAsync(options, stdout, stderr, timeZone ?? TimeZoneInfo.Local);
            if (LiveCaptureCommand.Applies(options) && !NcapConversionCommand.Applies(options))
                return await LiveCaptureCommand.RunAsync(options, stdout, stderr, timeZone ?? TimeZoneInfo.Local);
            if (SinkCommand.Applies(options))
                return await SinkCommand.RunAsync(options, stdin, stdout, stderr, timeZone ?? TimeZoneInfo.Local);
            if (options.ReadFile is null) throw new CliUsageException("no input: give -r FILE or -i IFACE");
        }
        catch (CliUnknownOptionException e)
        {
            await stderr.WriteAsync($"wirecap: {e.Message}\n{CliOptions.ShortUsage()}");
            return Failure;
        }
        catch (CliUsageException e)
        {
            await stderr.WriteAsync($"wirecap: {e.Message}\n(wirecap --help lists every option)\n");
            return UsageError;
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return Failure;
        }
        catch (CliFilterException e)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return UsageError;
        }

        try
        {
            return await CopyAsync(options, stdin, stdout, stderr, timeZone ?? TimeZoneInfo.Local);
        }
        catch (CliFilterException e)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return UsageError;
        }
        catch (CaptureFormatException e)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Wirecap.Filter.FilterException)
        {
            await stderr.WriteLineAsync($"wirecap: {e.Message}");
            return Failure;
        }
    }

    /// <summary>--version: the version, and which engine runs filters in this process (IL where the runtime compiles
    /// dynamic code; the interpreter under NativeAOT).</summary>
    internal static string VersionText()
    {
        var engine = Wirecap.Filter.PacketFilter.Create("ip", LinkType.Ethernet).Engine;
        string engineText = engine == Wirecap.Filter.PacketFilterEngine.Compiled ? "compiled (IL)"
            : System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "interpreter" : "interpreter (NativeAOT)";
        return $"wirecap version {typeof(CaptureCommand).Assembly.GetName().Version?.ToString(3)}\nfilter engine: {engineText}\n";
    }

    private static async Task<int> CopyAsync(CliOptions options, Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr, TimeZoneInfo timeZone)
    {
        string path = options.ReadFile!;
        await using var reader = path == "-"
            ? await CaptureFiles.OpenReaderAsync(stdin())
            : await CaptureFiles.OpenReaderAsync(path);
        var first = reader.Interfaces.Count > 0 ? reader.Interfaces[0] : null;
        var filter = CliRecordFilter.From(options, reader);
        await stderr.WriteLineAsync($"reading from file {path}, link-type {PacketPrinter.LinkName(first?.LinkType ?? LinkType.Ethernet)}, snapshot length {(first is null ? 0 : LinkTypes.EffectiveSnapLength(first.LinkType, first.SnapLength))}");
        // SLL2 names interfaces by index, and the indexes are this machine's, not the capturing one's.
        if (first?.LinkType == LinkType.LinuxSll2) await stderr.WriteLineAsync("Warning: interface names might be incorrect");

        if (options.WriteFile is null)
        {
            await using var output = new StreamWriter(stdout(), bufferSize: 1 << 16) { AutoFlush = false };
            Print(options, reader, filter, new PacketPrinter(options.PrinterOptions(timeZone)), output);
            return Success;
        }

        var format = options.WriteFormat ?? FormatFromExtension(options.WriteFile);
        var writerOptions = CopyWriterOptions(options, reader, format, path);
        await using var writer = options.WriteFile == "-"
            ? CaptureWriter.Create(stdout(), format, writerOptions)
            : CaptureWriter.Create(options.WriteFile, format, writerOptions);
        var copy = new CaptureCopier(reader, writer);
        Copy(options, reader, filter, copy, writer);
        copy.Complete();
        await ReportNotCopiedAsync(reader, copy.BlocksNotCopied, stderr);
        return Success;
    }

    // The loops read synchronously: the input is a file or standard input, and the per-packet asynchronous step of
    // ReadAsync (its state machine, the records it copied) cost more than the filter (bench/README.md, "Issue 13").
    private static void Print(CliOptions options, CaptureReader reader, CliRecordFilter? filter, PacketPrinter printer, StreamWriter output)
    {
        long printed = 0, count = options.Count ?? long.MaxValue;
        while (printed < count && reader.Read())
        {
            if (!CliRecordFilter.TryKeep(filter, reader, out var record))
                continue;
            printer.Write(output, record.LinkType, record.Data, record.TimestampNanoseconds, record.OriginalLength);
            if (options.FlushEachLine) output.Flush();
            printed++;
        }
    }

    private static void Copy(CliOptions options, CaptureReader reader, CliRecordFilter? filter, CaptureCopier copy, CaptureWriter writer)
    {
        long written = 0, count = options.Count ?? long.MaxValue;
        while (written < count && reader.Read())
        {
            if (!CliRecordFilter.TryKeep(filter, reader, out var record))
                continue;
            copy.Write(CutToSnapLength(options, record));
            if (options.PacketBuffered) writer.Flush(); // -U with standard output (a file goes through the sink)
            written++;
        }
    }

    /// <summary>The writer options of a copy: everything the input's header holds, and for pcap output (or a pcapng input
    /// with several sections) the whole input scanned first, so that the header's snap length is the largest one.</summary>
    internal static CaptureWriterOptions CopyWriterOptions(CliOptions options, CaptureReader reader, CaptureFormat format, string path)
    {
        var wholeInput = reader.Format == CaptureFormat.PcapNg && path != "-" ? CaptureCopier.ReadBlocks(path) : null;
        var precision = options.Nanoseconds ? TimestampPrecision.Nanosecond : TimestampPrecision.Microsecond;
        var copied = CaptureCopier.WriterOptions(reader, format, wholeInput, precision);
        if (!options.SnapLengthGiven || format != CaptureFormat.Pcap) return copied;
        return new CaptureWriterOptions { LinkType = copied.LinkType, SnapLength = options.SnapLength, FcsLength = copied.FcsLength, Precision = copied.Precision };
    }

    /// <summary>-s with a copy: records cut to SNAPLEN bytes; without -s, every byte is kept.</summary>
    internal static PacketRecord CutToSnapLength(CliOptions options, scoped in PacketRecord record) =>
        options.SnapLengthGiven && record.Length > options.SnapLength ? record.Cut(options.SnapLength) : record;

    /// <summary>Says on standard error what a copy could not carry: blocks of unknown types, blocks pcap cannot hold.</summary>
    internal static async Task ReportNotCopiedAsync(CaptureReader reader, long notCopied, TextWriter stderr)
    {
        int unknown = reader is PcapNgReader pcapng ? pcapng.SkippedBlockCount : 0;
        if (notCopied > 0)
            await stderr.WriteLineAsync($"wirecap: {notCopied} blocks not copied (statistics, name resolution, secrets or custom blocks the output format cannot hold, or custom blocks marked not to be copied)");
        if (unknown > 0)
            await stderr.WriteLineAsync($"wirecap: {unknown} pcapng blocks of unknown types skipped");
    }

    internal static CaptureFormat FormatFromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pcapng" or ".ntar" => CaptureFormat.PcapNg,
        ".ncap" => CaptureFormat.Ncap,
        _ => CaptureFormat.Pcap,
    };
}
