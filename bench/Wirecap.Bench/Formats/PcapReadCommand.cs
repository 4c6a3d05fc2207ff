using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using Wirecap.Formats;

namespace Wirecap.Bench.Formats;

/// <summary>
/// Command-line modes used by bench/side-by-side.sh:
///   pcap-generate FILE COUNT          write a COUNT-packet pcap file
///   pcap-read FILE [span|owned|async|pipe|small-segments] read it once to warm up, then time one read and print
///   "packets N bytes B ns T allocated A" (A = bytes allocated by the process during the timed read).
/// </summary>
public static class PcapReadCommand
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length >= 3 && args[0] == "pcap-generate")
        {
            PcapFileGenerator.Generate(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
            return true;
        }
        if (args.Length >= 2 && args[0] == "pcap-read")
        {
            string mode = args.Length > 2 ? args[2] : "span";
            Read(args[1], mode);                       // warm-up: JIT tiers, file cache
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var (packets, bytes) = Read(args[1], mode);
            watch.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"packets {packets} bytes {bytes} ns {(long)(watch.Elapsed.TotalMilliseconds * 1_000_000)} allocated {allocated}"));
            return true;
        }
        return false;
    }

    private static (long Packets, long Bytes) Read(string path, string mode) => mode switch
    {
        "span" => ReadSpans(path),
        "owned" => ReadOwned(path).GetAwaiter().GetResult(),
        "async" => ReadSpansAsync(path).GetAwaiter().GetResult(),
        // The span path over a PipeReader the caller made (its reads are asynchronous: Read waits for each).
        "pipe" => ReadSpans(CaptureReader.Open(PipeReader.Create(File.OpenRead(path), new StreamPipeReaderOptions(bufferSize: 1 << 20)))),
        // The span path with 4 KiB pipe segments: about one record in eight straddles two.
        "small-segments" => ReadSpans(CaptureReader.Open(path, new CaptureReaderOptions { BufferSize = 4096 })),
        _ => throw new ArgumentException($"unknown mode {mode}: span, owned, async, pipe or small-segments"),
    };

    private static (long, long) ReadSpans(string path) => ReadSpans(CaptureReader.Open(path));

    private static (long, long) ReadSpans(CaptureReader opened)
    {
        using var reader = opened;
        long packets = 0, bytes = 0, checksum = 0;
        while (reader.Read())
        {
            var data = reader.Current.Data;
            packets++;
            bytes += data.Length;
            if (!data.IsEmpty) checksum += data[0] + data[^1];
        }
        GC.KeepAlive(checksum);
        return (packets, bytes);
    }

    private static async Task<(long, long)> ReadSpansAsync(string path)
    {
        await using var reader = await CaptureReader.OpenAsync(path);
        long packets = 0, bytes = 0;
        while (await reader.ReadAsync())
        {
            packets++;
            bytes += Length(reader);
        }
        return (packets, bytes);

        static int Length(CaptureReader reader) => reader.Current.Data.Length;
    }

    private static async Task<(long, long)> ReadOwned(string path)
    {
        await using var reader = CaptureReader.Open(path);
        long packets = 0, bytes = 0;
        await foreach (var packet in reader.ReadAllAsync())
        {
            packets++;
            bytes += packet.Data.Length;
        }
        return (packets, bytes);
    }
}
