using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wirecap.Formats;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Sinks;

public class TcpExportTests : TempDirectoryFixture
{
    private static readonly CaptureWriterOptions TwoInterfaces = new()
    {
        Interfaces =
        [
            new CaptureInterface { Name = "eth-a", LinkType = LinkType.Ethernet },
            new CaptureInterface { Name = "raw-b", LinkType = LinkType.Raw },
        ],
    };

    private static byte[] Frame(int sequence, int length = 120)
    {
        var frame = new byte[length];
        frame[12] = 0x88; frame[13] = 0xb5;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(14), sequence);
        return frame;
    }

    private static void Send(TcpCaptureExporter exporter, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var data = Frame(i);
            exporter.Write(new PacketRecord(data, 1_700_000_000_000_000_000 + i, data.Length, i % 2 == 0 ? LinkType.Ethernet : LinkType.Raw, i % 2));
        }
    }

    [Test]
    public async Task ACaptureStreamedToTheCollectorArrivesWhole()
    {
        const int count = 20_000;
        await using var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), TempDir);
        var done = new TaskCompletionSource<CollectedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.StreamCompleted += s => done.TrySetResult(s);
        collector.Start();

        using (var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", collector.LocalEndpoint.Port, TwoInterfaces))
            Send(exporter, count);

        var stream = await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(stream.Error, Is.Null);
        Assert.That(stream.Packets, Is.EqualTo(count));
        using var reader = CaptureReader.Open(stream.Path);
        int n = 0;
        while (reader.Read())
        {
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(reader.Current.Data[14..]), Is.EqualTo(n));
            Assert.That(reader.Current.TimestampNanoseconds, Is.EqualTo(1_700_000_000_000_000_000 + n));
            Assert.That(reader.Interfaces[reader.Current.InterfaceId].Name, Is.EqualTo(n % 2 == 0 ? "eth-a" : "raw-b"));
            n++;
        }
        Assert.That(n, Is.EqualTo(count));
        Tool.Require("capinfos");
        Assert.That(Tool.RunOk("capinfos", $"-c \"{stream.Path}\""), Does.Match($@"Number of packets:\s+{count / 1000} k|Number of packets:\s+{count}\b"));
    }

    [Test]
    public async Task PacketsOfEverySizeArriveWholeThoughTheCollectorsPipeCutsThemBetweenSegments()
    {
        // About 4.5 MB: the collector's pipe (64 KiB segments) cuts some 70 records at as many offsets.
        const int count = 6000;
        static byte[] Patterned(int i)
        {
            var frame = Frame(i, 18 + i * 7 % 1497);
            for (int j = 18; j < frame.Length; j++) frame[j] = (byte)(i * 31 + j);
            return frame;
        }
        await using var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), TempDir);
        var done = new TaskCompletionSource<CollectedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.StreamCompleted += s => done.TrySetResult(s);
        collector.Start();
        using (var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", collector.LocalEndpoint.Port, TwoInterfaces))
            for (int i = 0; i < count; i++)
                exporter.Write(new PacketRecord(Patterned(i), 1_700_000_000_000_000_000 + i, -1, LinkType.Ethernet, 0));

        var stream = await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(stream.Error, Is.Null);
        Assert.That(stream.Packets, Is.EqualTo(count));
        using var reader = CaptureReader.Open(stream.Path);
        int n = 0;
        while (reader.Read())
        {
            Assert.That(reader.Current.Data.SequenceEqual(Patterned(n)), Is.True, $"packet {n}");
            n++;
        }
        Assert.That(n, Is.EqualTo(count));
    }

    [Test]
    public async Task TsharkReadsTheExportedStreamFromAPipeAsIs()
    {
        Tool.Require("tshark");
        const int count = 500;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptTcpClientAsync();
        using (var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, TwoInterfaces))
        using (var connection = await accept)
        {
            var tshark = Process.Start(new ProcessStartInfo("tshark", "-r - -T fields -e frame.interface_name -e frame.len")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = tshark.StandardOutput.ReadToEndAsync();
            var pump = connection.GetStream().CopyToAsync(tshark.StandardInput.BaseStream);
            Send(exporter, count);
            exporter.Dispose();
            await pump.WaitAsync(TimeSpan.FromSeconds(30));
            tshark.StandardInput.Close();
            Assert.That(tshark.WaitForExit(60_000), Is.True);
            var lines = (await output).Trim().Split('\n');
            Assert.That(lines, Has.Length.EqualTo(count), await tshark.StandardError.ReadToEndAsync());
            Assert.That(lines.Count(l => l == "eth-a\t120"), Is.EqualTo(count / 2));
            Assert.That(lines.Count(l => l == "raw-b\t120"), Is.EqualTo(count / 2));
        }
    }

    [Test]
    public async Task ACutStreamIsReportedWithThePacketsThatArrived()
    {
        // Produce a valid pcapng stream in memory, then send it cut in the middle of the 6th packet.
        var buffer = new MemoryStream();
        using (var writer = CaptureWriter.Create(buffer, CaptureFormat.PcapNg, new CaptureWriterOptions { LeaveOpen = true }))
        {
            for (int i = 0; i < 10; i++) writer.Write(Frame(i), 1_000 + i);
        }
        var bytes = buffer.ToArray();
        int headers = bytes.Length - 10 * (32 + 120);
        int cut = headers + 5 * (32 + 120) + 40;

        await using var collector = new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), TempDir);
        var done = new TaskCompletionSource<CollectedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.StreamCompleted += s => done.TrySetResult(s);
        collector.Start();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, collector.LocalEndpoint.Port);
            await client.GetStream().WriteAsync(bytes.AsMemory(0, cut));
        }
        var stream = await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(stream.Packets, Is.EqualTo(5));
        Assert.That(stream.Error, Is.InstanceOf<CaptureFormatException>());
        using var reader = CaptureReader.Open(stream.Path);
        int n = 0;
        while (reader.Read()) n++;
        Assert.That(n, Is.EqualTo(5), "the collected file is valid and holds the complete packets");
    }
}
