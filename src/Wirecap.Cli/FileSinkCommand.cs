using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Sinks;

namespace Wirecap.Cli;

/// <summary><c>-r FILE -w OUT</c> with tcpdump's -C/-G/-W rotation and -U packet-buffered output
/// (through <see cref="CaptureFileSink"/>), filtered as the plain copy is; NCAP output goes through <see cref="NcapConversionCommand"/>.</summary>
internal static class FileSinkCommand
{
    public static async Task<int> RunAsync(CliOptions options, CaptureReader reader, CancellationToken cancellationToken)
    {
        var format = options.WriteFormat ?? CaptureCommand.FormatFromExtension(options.WriteFile ?? "");
        Validate(options, format);

        // The sink describes its interfaces as each file opens, so every one of the input is wanted at the start.
        var writerOptions = CaptureCommand.CopyWriterOptions(options, reader, format, options.ReadFile!);
        using var sink = OpenSink(options, format, writerOptions);
        var map = new CaptureInterfaceMap(reader);
        int described = format == CaptureFormat.PcapNg ? writerOptions.Interfaces.Count : 1;
        int snapLength = LinkTypes.EffectiveSnapLength(writerOptions.LinkType, writerOptions.SnapLength);
        var filter = CliRecordFilter.From(options, reader);
        long written = 0;
        while (written < (options.Count ?? long.MaxValue) && await reader.ReadAsync(cancellationToken))
        {
            if (!CliRecordFilter.TryKeep(filter, reader, out var record))
                continue;
            record = CaptureCommand.CutToSnapLength(options, record);
            // pcapng: one output interface per input (section, interface); pcap: the header's one.
            int output = format == CaptureFormat.PcapNg ? map.OutputInterface(record.InterfaceId) : 0;
            if (output >= described)
                throw new IOException($"an interface described after the start of standard input cannot be added to rotated files; read the input from a file");
            if (format == CaptureFormat.Pcap && record.Length > snapLength)
                throw new IOException($"a packet of {record.Length} bytes is longer than the snap length {snapLength} the pcap header declares; write pcapng, or read the input from a file");
            if (!sink.Write(output == record.InterfaceId ? record : record.OnInterface(output))) break; // -G with -W: the last file is done
            written++;
        }
        return CaptureCommand.Success;
    }

    /// <summary>Checks that -C/-G/-W/-U/-1/-2 go with a -w output they fit; true when -1/-2 ask for stamped NCAP.</summary>
    /// <exception cref="CliUsageException">No -w, rotation to standard output, stamps on a non-NCAP output, or NCAP output with rotation.</exception>
    public static bool Validate(CliOptions options, CaptureFormat format)
    {
        if (options.WriteFile is null) throw new CliUsageException("-C/-G/-W/-U/-1/-2 apply to output: give -w FILE");
        bool stamps = options.User1 is not null || options.User2 is not null;
        if (stamps && format != CaptureFormat.Ncap) throw new CliUsageException("-1/-2 stamp NCAP output: write -w FILE.ncap or --format ncap");
        if (options.WriteFile == "-" && options.Rotates) throw new CliUsageException("-C/-G/-W need -w FILE, not standard output");
        if (stamps && options.Rotates) throw new CliUsageException("-1/-2 cannot be combined with -C/-G/-W");
        if (format == CaptureFormat.Ncap && options.Rotates)
            throw new CliUsageException("-C/-G/-W rotate pcap and pcapng output; NCAP output is converted through the NCAP engine and does not rotate");
        if (options.Rotates) Rotation(options); // -W without -C or -G is refused before anything is opened
        return stamps;
    }

    /// <summary>The sink for -w with the command line's rotation and flush policy (a file read with -r and a
    /// live capture with -i both write through it).</summary>
    public static CaptureFileSink OpenSink(CliOptions options, CaptureFormat format, CaptureWriterOptions writer) =>
        new(options.WriteFile!, new CaptureFileSinkOptions
        {
            Format = format,
            Writer = writer,
            Rotation = options.Rotates ? Rotation(options) : null,
            Flush = options.PacketBuffered ? FlushPolicy.EveryPacket : FlushPolicy.Buffered,
        });

    private static RotationOptions Rotation(CliOptions options) => new()
    {
        MaxFileBytes = options.RotateMillionBytes * 1_000_000,
        Interval = options.RotateSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        FileCount = options.RotateCount is { } count && (options.RotateMillionBytes is not null || options.RotateSeconds is not null)
            ? count
            : options.RotateCount is null ? null : throw new CliUsageException("-W needs -C or -G"),
    };
}
