using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Wirecap.Formats;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Sinks.Remote;

/// <summary>A collector lets senders take only what its limits allow, and says why it refused or cut.</summary>
public sealed class CollectorLimitTests : TempDirectoryFixture
{
    private static byte[] Frame(int number, int length = 200)
    {
        var frame = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88b5);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(14), number);
        return frame;
    }

    /// <summary>Streams <paramref name="count"/> frames; a collector that cuts or refuses makes this end early, which is fine.</summary>
    private static async Task SendAsync(int port, int count, string interfaceName = "eth0")
    {
        try
        {
            using var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", port,
                new CaptureWriterOptions { Interfaces = [new CaptureInterface { Name = interfaceName }] });
            for (int i = 0; i < count; i++) exporter.Write(new PacketRecord(Frame(i), 1_700_000_000_000_000_000 + i, 200, LinkType.Ethernet, 0));
            exporter.Flush();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static long PacketsIn(string path)
    {
        using var reader = CaptureReader.Open(path);
        long packets = 0;
        while (reader.Read())
        {
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(reader.Current.Data[14..]), Is.EqualTo(packets), path);
            packets++;
        }
        return packets;
    }

    [Test]
    public async Task TheDirectoryQuotaHoldsUnderAFloodOfStreams()
    {
        const long quota = 300_000;
        const int senders = 60;
        string directory = Path.Combine(TempDir, "flood");
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, "already-here.bin"), new byte[50_000]);
        var refusals = new List<RefusedStream>();
        await using (var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), directory,
            new TcpCaptureCollectorOptions { MaxDirectoryBytes = quota, MaxConcurrentStreams = 16 }))
        {
            collector.StreamRefused += r => { lock (refusals) refusals.Add(r); };
            collector.Start();
            // 60 senders of 2000 packets (about 480 kB each): a hundred times what the directory may take.
            await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(() => SendAsync(collector.LocalEndpoint.Port, 2000))));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (collector.Completed.Count + collector.StreamsRefused < senders && DateTime.UtcNow < deadline) await Task.Delay(50);

            var completed = collector.Completed;
            Assert.That(completed.Count + collector.StreamsRefused, Is.EqualTo(senders), "every connection is either collected or refused");
            Assert.That(collector.StreamsCut, Is.GreaterThan(0));
            Assert.That(completed.Count(s => s.Error is CollectorLimitException { Limit: CollectorLimit.DirectoryBytes }), Is.EqualTo(collector.StreamsCut));
            lock (refusals) Assert.That(refusals.Count, Is.EqualTo(collector.StreamsRefused));
            lock (refusals) Assert.That(refusals.All(r => r.Reason.Contains("limit") || r.Reason.Contains("already open")), Is.True);
            long onDisk = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);
            Assert.That(onDisk, Is.LessThanOrEqualTo(quota), "the files never pass the quota");
            Assert.That(collector.DirectoryBytes, Is.EqualTo(onDisk), "the collector's count is what is on disk");
            foreach (var stream in completed) Assert.That(PacketsIn(stream.Path), Is.EqualTo(stream.Packets), "a cut file is valid and holds what was counted");
        }
    }

    [Test]
    public async Task AStreamIsCutBeforeItsFilePassesTheStreamLimit()
    {
        const long limit = 40_000;
        await using var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), TempDir,
            new TcpCaptureCollectorOptions { MaxBytesPerStream = limit });
        var done = new TaskCompletionSource<CollectedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.StreamCompleted += s => done.TrySetResult(s);
        collector.Start();
        await SendAsync(collector.LocalEndpoint.Port, 1000);
        var stream = await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(stream.Error, Is.TypeOf<CollectorLimitException>().With.Property("Limit").EqualTo(CollectorLimit.StreamBytes));
        Assert.That(stream.Error!.Message, Does.Contain("40000 bytes"));
        long size = new FileInfo(stream.Path).Length;
        Assert.That(size, Is.LessThanOrEqualTo(limit).And.GreaterThan(limit - 2 * 300), "cut at the last packet that fits");
        Assert.That(PacketsIn(stream.Path), Is.EqualTo(stream.Packets));
        Assert.That(collector.StreamsCut, Is.EqualTo(1));
    }

    [Test]
    public async Task AConnectionPastTheConcurrentLimitIsRefusedAndTheOthersAreKept()
    {
        await using var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), TempDir,
            new TcpCaptureCollectorOptions { MaxConcurrentStreams = 2 });
        var refused = new TaskCompletionSource<RefusedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.StreamRefused += r => refused.TrySetResult(r);
        collector.Start();
        int port = collector.LocalEndpoint.Port;
        var open = new List<TcpCaptureExporter>();
        for (int i = 0; i < 2; i++) open.Add(await TcpCaptureExporter.ConnectAsync("127.0.0.1", port, new CaptureWriterOptions()));
        using (var third = new TcpClient())
        {
            try
            {
                await third.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                // The reset can overtake the end of the handshake.
            }
            var refusal = await refused.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.That(refusal.Limit, Is.EqualTo(CollectorLimit.ConcurrentStreams));
            Assert.That(refusal.Reason, Does.Contain("2 streams are already open"));
        }
        foreach (var exporter in open)
        {
            for (int i = 0; i < 10; i++) exporter.Write(new PacketRecord(Frame(i), 1_700_000_000_000_000_000 + i, 200, LinkType.Ethernet, 0));
            exporter.Dispose();
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (collector.Completed.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.That(collector.Completed.Select(s => s.Packets), Is.EqualTo(new long[] { 10, 10 }));
        Assert.That(collector.StreamsRefused, Is.EqualTo(1));
    }

    [Test]
    public async Task FileNamesComeFromTheCollectorNeverFromTheSender()
    {
        string directory = Path.Combine(TempDir, "names");
        await using var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), directory);
        var done = new TaskCompletionSource<CollectedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.StreamCompleted += s => done.TrySetResult(s);
        collector.Start();
        await SendAsync(collector.LocalEndpoint.Port, 3, interfaceName: "../../escaped");
        var stream = await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(Path.GetDirectoryName(stream.Path), Is.EqualTo(directory));
        Assert.That(Path.GetFileName(stream.Path), Does.Match(@"^collected-\d{8}-\d{6}-1\.pcapng$"));
        Assert.That(Directory.GetFiles(TempDir, "*", SearchOption.AllDirectories), Is.EquivalentTo(new[] { stream.Path }));
    }
}
