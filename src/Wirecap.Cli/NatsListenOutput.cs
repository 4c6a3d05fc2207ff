using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Nats;

namespace Wirecap.Cli;

/// <summary>Where <c>--listen nats</c> puts packets: a pcapng file (continued after a checkpoint), standard output, or
/// printed lines. Interfaces of every batch are matched to the file's by what they describe, so batches of several
/// senders on one subject keep their own interfaces.</summary>
internal sealed class NatsListenOutput : IAsyncDisposable
{
    private readonly Stream? _file;
    private readonly long _start;
    private readonly Func<Stream>? _stdout;
    private readonly StreamWriter? _printer;
    private readonly PacketPrinter? _format;
    private readonly Dictionary<string, int> _interfaceIds = [];
    private CaptureWriter? _writer;

    private NatsListenOutput(Stream? file, long start, Func<Stream>? stdout, StreamWriter? printer, PacketPrinter? format)
    {
        _file = file;
        _start = start;
        _stdout = stdout;
        _printer = printer;
        _format = format;
    }

    public static NatsListenOutput Open(CliOptions options, JetStreamCheckpoint? checkpoint, Func<Stream> stdout, TimeZoneInfo timeZone)
    {
        if (options.WriteFile is null)
            return new(null, 0, null, new StreamWriter(stdout(), bufferSize: 1 << 16), new PacketPrinter(options.PrinterOptions(timeZone)));
        if (options.WriteFile == "-") return new(null, 0, stdout, null, null);
        if (checkpoint is null) return new(File.Create(options.WriteFile), 0, null, null, null);
        if (!File.Exists(options.WriteFile))
            throw new IOException($"{options.WriteFile}.checkpoint is there but {options.WriteFile} is not: remove the checkpoint to start over");
        var file = new FileStream(options.WriteFile, FileMode.Open, FileAccess.Write);
        if (file.Length < checkpoint.OutputLength)
            throw new IOException($"{options.WriteFile} is shorter ({file.Length} bytes) than its checkpoint says ({checkpoint.OutputLength})");
        // What follows the checkpoint is the unfinished tail of a batch that will come again.
        file.SetLength(checkpoint.OutputLength);
        file.Seek(0, SeekOrigin.End);
        return new(file, checkpoint.OutputLength, null, null, null);
    }

    /// <summary>Prints or writes <paramref name="packet"/>, one of a batch that describes <paramref name="interfaces"/>.</summary>
    public void Write(IReadOnlyList<CaptureInterface> interfaces, Packet packet)
    {
        if (_printer is not null)
        {
            _format!.Write(_printer, packet.LinkType, packet.Data.Span, packet.TimestampNanoseconds, packet.OriginalLength);
            return;
        }
        var source = interfaces[packet.InterfaceId];
        _writer ??= CaptureWriter.Create(_file ?? _stdout!(), CaptureFormat.PcapNg, new CaptureWriterOptions
        {
            Interfaces = [source],
            Precision = TimestampPrecision.Nanosecond,
            LeaveOpen = _file is not null,
        });
        string key = $"{(int)source.LinkType}/{source.SnapLength}/{source.TimestampResolution}/{source.TimestampOffset}/{source.Name}/{source.Description}";
        if (!_interfaceIds.TryGetValue(key, out int id))
        {
            id = _interfaceIds.Count == 0 ? 0 : _writer.AddInterface(source);
            _interfaceIds[key] = id;
        }
        _writer.Write(new PacketRecord(packet.Data.Span, packet.TimestampNanoseconds, packet.OriginalLength, packet.LinkType, id)
        {
            Flags = packet.Flags,
            DropCount = packet.DropCount,
            PacketId = packet.PacketId,
        }, packet.Comments);
    }

    /// <summary>Pushes everything out; returns the file's length (what a checkpoint records).</summary>
    public long Flush()
    {
        _printer?.Flush();
        _writer?.Flush();
        _file?.Flush();
        return _start + (_writer?.Position ?? 0);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null) await _writer.DisposeAsync();
        if (_file is not null) await _file.DisposeAsync();
        if (_printer is not null) await _printer.DisposeAsync();
    }
}
