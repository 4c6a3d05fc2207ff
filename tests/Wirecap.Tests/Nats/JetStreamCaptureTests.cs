using System.Buffers.Binary;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Nats;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Nats;

/// <summary>Captures through a real three-node JetStream cluster on loopback ports: a node killed mid-capture, a
/// collector killed mid-read, garbage on the subject.</summary>
[NonParallelizable]
public sealed class JetStreamCaptureTests : TempDirectoryFixture
{
    private static NatsCluster _cluster = null!;
    private static string _clusterDirectory = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _clusterDirectory = Path.Combine(Path.GetTempPath(), $"wirecap-nats-{Environment.ProcessId}-{Guid.NewGuid():N}");
        _cluster = await NatsCluster.StartAsync(_clusterDirectory);
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_clusterDirectory is not null && Directory.Exists(_clusterDirectory)) Directory.Delete(_clusterDirectory, recursive: true);
    }

    private static string NewSubject() => $"capture.t{Guid.NewGuid():N}";

    private static byte[] Frame(int number)
    {
        var frame = new byte[60 + number % 200];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88b5);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(14), number);
        for (int i = 18; i < frame.Length; i++) frame[i] = (byte)(number + i);
        return frame;
    }

    private static PacketRecord Record(byte[] frame, int number) =>
        new(frame, 1_700_000_000_000_000_000 + number * 1000L, frame.Length, LinkType.Ethernet, 0);

    private static void Publish(JetStreamCaptureSink sink, int from, int count)
    {
        for (int i = from; i < from + count; i++) sink.Write(Record(Frame(i), i));
    }

    /// <summary>Reads batches through <paramref name="durable"/> until <paramref name="count"/> packets came.</summary>
    private static async Task<(List<Packet> Packets, JetStreamCaptureSource Source)> ReadBackAsync(INatsJSContext js, string subject, string durable, int count)
    {
        var source = await JetStreamCaptureSource.OpenAsync(js, new JetStreamSourceOptions { Subject = subject, Durable = durable });
        var packets = new List<Packet>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var batch in source.ReadAsync(timeout.Token))
        {
            packets.AddRange(batch.Packets);
            await source.AckAsync(batch);
            if (packets.Count >= count) break;
        }
        return (packets, source);
    }

    private static void AssertWholeAndInOrder(IReadOnlyList<Packet> packets, int count)
    {
        Assert.That(packets.Select(p => BinaryPrimitives.ReadInt32BigEndian(p.Data.Span[14..])), Is.EqualTo(Enumerable.Range(0, count)), "every packet once, in order");
        for (int i = 0; i < count; i++)
        {
            Assert.That(packets[i].Data.ToArray(), Is.EqualTo(Frame(i)), $"packet {i}");
            Assert.That(packets[i].TimestampNanoseconds, Is.EqualTo(1_700_000_000_000_000_000 + i * 1000L));
        }
    }

    [Test]
    public async Task ACaptureSentWhileTheStreamLeaderIsKilledComesBackWholeAndInOrder()
    {
        const int count = 20_000;
        string subject = NewSubject();
        await using var connection = _cluster.Connect();
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);
        string stream = await JetStreamCaptureSink.EnsureStreamAsync(js, subject, replicas: 3);
        var sink = new JetStreamCaptureSink(js, new JetStreamSinkOptions
        {
            Subject = subject,
            Interfaces = [new CaptureInterface { Name = "eth0" }],
            MaxBatchPackets = 100,
        });
        int killed = -1;
        try
        {
            await Task.Run(async () =>
            {
                Publish(sink, 0, count / 3);
                var info = await js.GetStreamAsync(stream);
                killed = NatsCluster.NodeOf(info.Info.Cluster!.Leader!);
                _cluster.Kill(killed);
                Publish(sink, count / 3, count - count / 3);
                await sink.FlushAsync();
            });
            Assert.That(sink.PacketsPublished, Is.EqualTo(count));
            Assert.That(sink.BatchesRefused, Is.Zero);
            var (packets, source) = await ReadBackAsync(js, subject, "reader", count);
            AssertWholeAndInOrder(packets, count);
            Assert.That(source.BadMessages, Is.Zero);
            var state = (await js.GetStreamAsync(stream)).Info.State;
            Assert.That(state.Messages, Is.EqualTo((ulong)(count / 100)), "one stored copy of each batch, retries included");
        }
        finally
        {
            if (killed >= 0) _cluster.Start(killed);
        }
    }

    [Test]
    public async Task ACollectorKilledAndRestartedResumesWithNothingLostOrRepeated()
    {
        const int count = 30_000;
        string subject = NewSubject();
        await using var connection = _cluster.Connect();
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);
        string stream = await JetStreamCaptureSink.EnsureStreamAsync(js, subject, replicas: 1);
        var sink = new JetStreamCaptureSink(js, new JetStreamSinkOptions { Subject = subject, MaxBatchPackets = 20 });
        await Task.Run(() => Publish(sink, 0, count));
        await sink.FlushAsync();
        ulong last = (await js.GetStreamAsync(stream)).Info.State.LastSeq;

        string output = Path.Combine(TempDir, "collected.pcapng");
        string checkpoint = output + ".checkpoint";
        string arguments = $"{LiveCliTests.Cli} --listen nats://127.0.0.1:{_cluster.ClientPort(0)}/{subject} --durable collector -w {output}";
        using (var first = new ReadyProcess("dotnet", arguments, "listening on"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((JetStreamCheckpoint.Load(checkpoint)?.StreamSequence ?? 0) < 100 && DateTime.UtcNow < deadline) await Task.Delay(5);
            first.Signal(9);
            first.WaitForExit(TimeSpan.FromSeconds(10));
        }
        var killedAt = JetStreamCheckpoint.Load(checkpoint);
        Assert.That(killedAt, Is.Not.Null);
        Assert.That(killedAt!.StreamSequence, Is.LessThan(last), "the collector was killed in the middle");

        using (var second = new ReadyProcess("dotnet", arguments, "listening on"))
        {
            Assert.That(second.Stderr, Does.Contain("resuming after stream message"));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (JetStreamCheckpoint.Load(checkpoint) is not { Taken: 20 } done || done.StreamSequence < last)
            {
                if (DateTime.UtcNow > deadline) Assert.Fail($"the restarted collector did not finish: {second.Stderr}");
                await Task.Delay(20);
            }
            second.Signal(15);
            Assert.That(second.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, second.Stderr);
        }
        var packets = new List<Packet>();
        using (var reader = CaptureReader.Open(output))
            while (reader.Read()) packets.Add(reader.Current.ToPacket());
        AssertWholeAndInOrder(packets, count);
    }

    [Test]
    public async Task GarbageOnTheSubjectIsCountedAndSkipped()
    {
        string subject = NewSubject();
        await using var connection = _cluster.Connect();
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);
        await JetStreamCaptureSink.EnsureStreamAsync(js, subject, replicas: 3);
        var sink = new JetStreamCaptureSink(js, new JetStreamSinkOptions { Subject = subject, MaxBatchPackets = 10 });
        await Task.Run(() => Publish(sink, 0, 10));
        // Four messages that are not capture batches: no headers; a pcapng header over junk; NCAP junk; a batch whose count lies.
        await js.PublishAsync(subject, "hello"u8.ToArray());
        await js.PublishAsync(subject, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, headers: new NatsHeaders { ["Wirecap-Format"] = "pcapng", ["Wirecap-Count"] = "1" });
        await js.PublishAsync(subject, new byte[] { 9, 9, 9 }, headers: new NatsHeaders { ["Wirecap-Format"] = "ncap", ["Wirecap-Count"] = "1" });
        var honest = new MemoryStream();
        using (var writer = CaptureWriter.Create(honest, CaptureFormat.PcapNg, new CaptureWriterOptions { Interfaces = [new CaptureInterface()], LeaveOpen = true }))
            writer.Write(Record(Frame(99), 99));
        await js.PublishAsync(subject, honest.ToArray(), headers: new NatsHeaders { ["Wirecap-Format"] = "pcapng", ["Wirecap-Count"] = "5" });
        await Task.Run(() => Publish(sink, 10, 10));
        await sink.FlushAsync();

        var (packets, source) = await ReadBackAsync(js, subject, "reader", 20);
        AssertWholeAndInOrder(packets, 20);
        Assert.That(source.BadMessages, Is.EqualTo(4));

        // The command line says so too, and prints what is good.
        var cli = CliRunner.Run(["--listen", $"nats://127.0.0.1:{_cluster.ClientPort(1)}/{subject}", "--durable", "printer", "-c", "20", "-n"]);
        Assert.That(cli.ExitCode, Is.Zero, cli.StdErr);
        // One line per packet; the unknown EtherType's hex dump follows on indented lines.
        Assert.That(cli.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !char.IsWhiteSpace(l[0])), Is.EqualTo(20));
        Assert.That(cli.StdErr, Does.Contain("20 packets received").And.Contain("4 bad messages skipped"));
    }

    [Test]
    public async Task SendNatsPublishesAFileThatReadsBackAsIs()
    {
        string subject = NewSubject();
        var sent = CliRunner.Run(["-r", Repository.SamplePath, "--send", $"nats://127.0.0.1:{_cluster.ClientPort(2)}/{subject}", "--replicas", "3"]);
        Assert.That(sent.ExitCode, Is.Zero, sent.StdErr);
        var expected = new List<byte[]>();
        using (var reader = CaptureReader.Open(Repository.SamplePath))
            while (reader.Read()) expected.Add(reader.Current.Data.ToArray());
        Assert.That(sent.StdErr, Does.Contain($"{expected.Count} packets").And.Contain("0 refused"));
        await using var connection = _cluster.Connect();
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);
        var stream = await js.GetStreamAsync(Wirecap.Nats.JetStreamHeaders.StreamName(subject));
        Assert.That(stream.Info.Config.NumReplicas, Is.EqualTo(3));
        var (packets, _) = await ReadBackAsync(js, subject, "reader", expected.Count);
        Assert.That(packets.Select(p => p.Data.ToArray()), Is.EqualTo(expected));
    }

    [Test]
    public async Task ListenNatsPrintsAndWritesNcapAndPcapngBatchesAsReadingTheFilesAndStopsAtExactlyC()
    {
        string subject = NewSubject();
        string ncapFile = Path.Combine(TempDir, "sample.ncap");
        Assert.That(CliRunner.Run(["-r", Repository.SamplePath, "-w", ncapFile]).ExitCode, Is.Zero);
        await using var connection = _cluster.Connect();
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);
        await JetStreamCaptureSink.EnsureStreamAsync(js, subject, replicas: 1);
        int messages = 0, frames = 0;
        await Task.Run(async () =>
        {
            // NCAP batches of 4 messages, then pcapng batches of 4 packets, on the one subject.
            var ncap = new JetStreamCaptureSink(js, new JetStreamSinkOptions { Subject = subject, Format = JetStreamBatchFormat.Ncap, MaxBatchPackets = 4 });
            using (var file = File.OpenRead(ncapFile))
            using (var reader = new NcapReader(file))
                while (reader.Read()) { ncap.Write(reader.Current); messages++; }
            await ncap.FlushAsync();
            using var sample = CaptureReader.Open(Repository.SamplePath);
            var pcapng = new JetStreamCaptureSink(js, new JetStreamSinkOptions { Subject = subject, Interfaces = [.. sample.Interfaces], MaxBatchPackets = 4 });
            int described = sample.Interfaces.Count;
            while (sample.Read())
            {
                while (described < sample.Interfaces.Count) pcapng.AddInterface(sample.Interfaces[described++]); // the sample describes more as it goes
                pcapng.Write(sample.Current);
                frames++;
            }
            await pcapng.FlushAsync();
        });
        Assert.That(messages, Is.GreaterThan(4), "the sample makes several NCAP batches");
        Assert.That(frames, Is.GreaterThan(7), "and several pcapng ones");
        int count = messages + 3; // stops inside the second pcapng batch
        string nats = $"nats://127.0.0.1:{_cluster.ClientPort(0)}/{subject}";

        var printed = CliRunner.Run(["--listen", nats, "--durable", "printer", "-c", count.ToString(), "-n"]);
        Assert.That(printed.ExitCode, Is.Zero, printed.StdErr);
        string expected = CliRunner.Run(["-r", ncapFile, "-n"]).StdOut + CliRunner.Run(["-r", Repository.SamplePath, "-n", "-c", "3"]).StdOut;
        Assert.That(printed.StdOut, Is.EqualTo(expected), "the lines -r prints for the NCAP file, then for the sample's first 3 packets");
        Assert.That(printed.StdErr, Does.Contain($"{count} packets received"));

        string output = Path.Combine(TempDir, "listened.pcapng");
        var written = CliRunner.Run(["--listen", nats, "--durable", "writer", "-c", count.ToString(), "-w", output]);
        Assert.That(written.ExitCode, Is.Zero, written.StdErr);
        var expectedPackets = new List<(LinkType, byte[], long)>();
        foreach (var (path, take) in new[] { (ncapFile, messages), (Repository.SamplePath, 3) })
        {
            using var reader = CaptureFiles.OpenReader(path);
            for (int i = 0; i < take && reader.Read(); i++) expectedPackets.Add((reader.Current.LinkType, reader.Current.Data.ToArray(), reader.Current.TimestampNanoseconds));
        }
        var got = new List<(LinkType, byte[], long)>();
        using (var reader = CaptureReader.Open(output))
            while (reader.Read()) got.Add((reader.Current.LinkType, reader.Current.Data.ToArray(), reader.Current.TimestampNanoseconds));
        Assert.That(got, Has.Count.EqualTo(count), "-c N stops after exactly N packets, inside a batch");
        Assert.That(got, Is.EqualTo(expectedPackets));
    }
}
