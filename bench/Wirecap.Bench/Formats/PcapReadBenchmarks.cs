using BenchmarkDotNet.Attributes;
using Wirecap.Formats;

namespace Wirecap.Bench.Formats;

/// <summary>Reading a large pcap file: the zero-copy span path against the owned-packet path.</summary>
[MemoryDiagnoser]
public class PcapReadBenchmarks
{
    private string _path = "";

    [Params(200_000)]
    public int Packets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"capture-bench-{Packets}.pcap");
        if (!File.Exists(_path)) PcapFileGenerator.Generate(_path, Packets);
    }

    [Benchmark(Baseline = true, Description = "span path: Read() + Current")]
    public long SpanPath()
    {
        using var reader = CaptureReader.Open(_path);
        long bytes = 0;
        while (reader.Read()) bytes += reader.Current.Data.Length;
        return bytes;
    }

    [Benchmark(Description = "span path: await ReadAsync()")]
    public async Task<long> SpanPathAsync()
    {
        await using var reader = await CaptureReader.OpenAsync(_path);
        long bytes = 0;
        while (await reader.ReadAsync()) bytes += Length(reader);
        return bytes;

        static int Length(CaptureReader reader) => reader.Current.Data.Length;
    }

    [Benchmark(Description = "owned path: ReadAllAsync()")]
    public async Task<long> OwnedPath()
    {
        await using var reader = CaptureReader.Open(_path);
        long bytes = 0;
        await foreach (var packet in reader.ReadAllAsync()) bytes += packet.Data.Length;
        return bytes;
    }
}
