using System.Net;
using BenchmarkDotNet.Attributes;
using Wirecap.Formats;
using Wirecap.Sinks;

namespace Wirecap.Bench.Export;

/// <summary>
/// pcapng over TCP on loopback (exporter → our collector writing a file) against the same packets
/// written to a local pcapng file, same run. One operation = <see cref="Packets"/> packets.
/// </summary>
[MemoryDiagnoser]
public class TcpExportBenchmarks
{
    public const int Packets = 100_000;

    [Params(100, 1500)]
    public int PacketSize { get; set; }

    private byte[] _frame = [];
    private string _dir = "";

    [GlobalSetup]
    public void Setup()
    {
        _frame = new byte[PacketSize];
        _frame[12] = 0x08;
        _dir = Directory.CreateTempSubdirectory("capture-bench-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Baseline = true)]
    public long LocalFile()
    {
        var path = Path.Combine(_dir, "local.pcapng");
        using (var sink = new CaptureFileSink(path, new CaptureFileSinkOptions { Format = CaptureFormat.PcapNg }))
        {
            for (int i = 0; i < Packets; i++) sink.Write(_frame, 1_700_000_000_000_000_000 + i);
        }
        return new FileInfo(path).Length;
    }

    [Benchmark]
    public async Task<long> TcpToCollector()
    {
        var collected = Path.Combine(_dir, "collected");
        await using var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), collected);
        var done = new TaskCompletionSource<CollectedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.StreamCompleted += s => done.TrySetResult(s);
        collector.Start();
        using (var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", collector.LocalEndpoint.Port))
        {
            for (int i = 0; i < Packets; i++)
                exporter.Write(new PacketRecord(_frame, 1_700_000_000_000_000_000 + i, _frame.Length, LinkType.Ethernet, 0));
        }
        var stream = await done.Task;
        if (stream.Packets != Packets) throw new InvalidOperationException($"collector got {stream.Packets} of {Packets}: {stream.Error}");
        File.Delete(stream.Path);
        return stream.Packets;
    }
}
