using System.Net;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Ncap;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>The sink options end to end: --ncap-send/--listen udp, --send tcp/--listen tcp,
/// -C/-G/-W rotation, -U and -1/-2 stamping.</summary>
[TestFixture]
public sealed class CliSinkTests : TempDirectoryFixture
{
    /// <summary>What the sample converts to, record by record, as owned messages.</summary>
    private static List<NcapMessage> SampleMessages()
    {
        var messages = new List<NcapMessage>();
        using var reader = CaptureReader.Open(Repository.SamplePath);
        using var converter = new FrameToNcapConverter(NcapConversionOptions.Ncaptool);
        while (reader.Read())
        {
            var packet = reader.Current;
            if (converter.TryConvert(packet.LinkType, packet.Data, packet.OriginalLength, packet.TimestampNanoseconds, out var record))
                messages.Add(record.ToMessage());
        }
        return messages;
    }

    private static List<NcapMessage> ReadNcap(string path)
    {
        using var file = File.OpenRead(path);
        return NcapTestData.ReadStream(file);
    }

    [Test]
    public void NcapSendReachesListenUdpWithUserFieldsStamped()
    {
        var expected = SampleMessages();
        Assert.That(expected, Is.Not.Empty);
        int port = Ncap.Datagrams.DatagramTestData.FreeUdpPort();
        string output = Path.Combine(TempDir, "received.ncap");
        var listening = Task.Run(() => CliRunner.Run(["--listen", $"udp:{port}", "-c", expected.Count.ToString(), "-w", output, "-1", "7", "-2", "+0x100"]));
        PortWaiter.WaitUntilBound(port, failedEarly: () => listening.IsCompleted ? listening.Result.StdErr : null);

        var sent = CliRunner.Run(["-r", Repository.SamplePath, "--ncap-send", $"127.0.0.1:{port},5000"]);
        Assert.That(sent.ExitCode, Is.Zero, sent.StdErr);
        Assert.That(sent.StdErr, Does.Contain($"{expected.Count} NCAP messages sent"));
        Assert.That(listening.Wait(TimeSpan.FromSeconds(15)), Is.True, "the listener did not stop after -c messages");
        Assert.That(listening.Result.ExitCode, Is.Zero, listening.Result.StdErr);

        var received = ReadNcap(output);
        Assert.That(received, Is.EqualTo(expected.Select(m => Stamped(m, 7, m.User2 | 0x100))));
    }

    [Test]
    public void ListenUdpPrintsEachMessage()
    {
        int port = Ncap.Datagrams.DatagramTestData.FreeUdpPort();
        var listening = Task.Run(() => CliRunner.Run(["--listen", $"udp:{port}", "-c", "2"]));
        PortWaiter.WaitUntilBound(port);
        using (var sender = Wirecap.Ncap.NcapDatagramSender.Connect("127.0.0.1", port))
        {
            sender.Send(Ncap.Datagrams.DatagramTestData.Numbered(1));
            sender.Send(Ncap.Datagrams.DatagramTestData.Numbered(2));
        }
        Assert.That(listening.Wait(TimeSpan.FromSeconds(15)), Is.True);
        var lines = listening.Result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.Match(@"^\[5 dg 127\.0\.0\.1:\d+\] 2023-11-14 22:13:21\.123456000 \[00000000 00000000\] \[10\.0\.0\.1\]\.1111 \[10\.0\.0\.2\]\.53 udp$"));
        Assert.That(listening.Result.StdErr, Does.Contain("2 NCAP messages received"));
    }

    [TestCase("5", 5u, 0u)]
    [TestCase("0x10", 0x10u, 0u)]
    public void UserStampsSetOrAndClear(string value, uint user1, uint user2)
    {
        string output = Path.Combine(TempDir, "stamped.ncap");
        var run = CliRunner.Run(["-r", Repository.SamplePath, "-w", output, "-1", value, "-2", "-0xffffffff"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        var messages = ReadNcap(output);
        Assert.That(messages, Has.Count.EqualTo(SampleMessages().Count));
        Assert.That(messages.Select(m => (m.User1, m.User2)).Distinct(), Is.EqualTo(new[] { (user1, user2) }));

        var bad = CliRunner.Run(["-r", Repository.SamplePath, "-w", output, "-1", "+x"]);
        Assert.That((bad.ExitCode, bad.StdErr.Contains("invalid value '+x' for -1")), Is.EqualTo((2, true)));
        var notNcap = CliRunner.Run(["-r", Repository.SamplePath, "-w", Path.Combine(TempDir, "x.pcap"), "-1", "1"]);
        Assert.That(notNcap.StdErr, Does.Contain("-1/-2 stamp NCAP output"));
    }

    [Test]
    public void SendTcpReachesListenTcpAndTsharkReadsTheResult()
    {
        int port = PortWaiter.FreeTcpPort();
        string output = Path.Combine(TempDir, "collected.pcapng");
        var listening = Task.Run(() => CliRunner.Run(["--listen", $"tcp:{port}", "-w", output]));
        PortWaiter.WaitUntilBound(port, tcp: true, failedEarly: () => listening.IsCompleted ? listening.Result.StdErr : null);

        var sent = CliRunner.Run(["-r", Repository.SamplePath, "--send", $"tcp:127.0.0.1:{port}"]);
        Assert.That(sent.ExitCode, Is.Zero, sent.StdErr);
        Assert.That(listening.Wait(TimeSpan.FromSeconds(15)), Is.True, "the listener did not stop after one stream");
        Assert.That(listening.Result.ExitCode, Is.Zero, listening.Result.StdErr);

        Assert.That(PacketData(output), Is.EqualTo(PacketData(Repository.SamplePath)));
        if (Tool.Exists("tshark"))
        {
            var tshark = Tool.RunOk("tshark", $"-r {output} -T fields -e frame.number");
            Assert.That(tshark.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(PacketData(Repository.SamplePath).Count));
        }
    }

    [Test]
    public async Task ListenTcpCutsAStreamGoneSilentAfterTheIdleTimeoutAndSaysSo()
    {
        int port = PortWaiter.FreeTcpPort();
        string output = Path.Combine(TempDir, "idle.pcapng");
        var listening = Task.Run(() => CliRunner.Run(["--listen", $"tcp:127.0.0.1:{port}", "-w", output, "--idle-timeout", "1"]));
        PortWaiter.WaitUntilBound(port, tcp: true, failedEarly: () => listening.IsCompleted ? listening.Result.StdErr : null);
        using (var exporter = await Wirecap.Sinks.TcpCaptureExporter.ConnectAsync("127.0.0.1", port))
        {
            for (int i = 0; i < 3; i++) exporter.Write(new PacketRecord(new byte[60 + i], 1_700_000_000_000_000_000 + i, 60 + i, LinkType.Ethernet, 0));
            exporter.Flush();
            // Silent from here on, the connection open: the listener must end by itself.
            Assert.That(await Task.WhenAny(listening, Task.Delay(TimeSpan.FromSeconds(20))), Is.SameAs(listening), "the idle stream was not cut");
        }
        Assert.That(listening.Result.ExitCode, Is.Zero, listening.Result.StdErr);
        Assert.That(listening.Result.StdErr, Does.Contain("3 packets from").And.Contain("(stream cut: nothing received for 1 s)"));
        Assert.That(listening.Result.StdErr, Does.Contain("0 streams refused and 1 cut"));
        Assert.That(PacketData(output), Has.Count.EqualTo(3));
    }

    [Test]
    public void ListenTcpIntoADirectoryKeepsOneFilePerStream()
    {
        int port = PortWaiter.FreeTcpPort();
        string directory = Path.Combine(TempDir, "streams") + "/";
        var listening = Task.Run(() => CliRunner.Run(["--listen", $"tcp:{port}", "-w", directory, "-c", "2"]));
        PortWaiter.WaitUntilBound(port, tcp: true);
        for (int i = 0; i < 2; i++)
            Assert.That(CliRunner.Run(["-r", Repository.SamplePath, "--send", $"tcp:127.0.0.1:{port}"]).ExitCode, Is.Zero);
        Assert.That(listening.Wait(TimeSpan.FromSeconds(15)), Is.True);
        var files = Directory.GetFiles(directory);
        Assert.That(files, Has.Length.EqualTo(2));
        Assert.That(files.Select(f => PacketData(f).Count), Is.All.EqualTo(PacketData(Repository.SamplePath).Count));
    }

    [Test]
    public void SizeRotationSplitsWithoutLossAndEveryFilePassesCapinfos()
    {
        string input = WriteBigPcap(3000, 1000);
        string output = Path.Combine(TempDir, "rotated.pcap");
        var run = CliRunner.Run(["-r", input, "-w", output, "-C", "1"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        var files = Directory.GetFiles(TempDir, "rotated.pcap*").Order(StringComparer.Ordinal).ToList();
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "rotated.pcap", "rotated.pcap1", "rotated.pcap2", "rotated.pcap3" }));
        Assert.That(files.SelectMany(PacketData), Is.EqualTo(PacketData(input)), "every packet once, in order");
        foreach (var file in files) Assert.That(new FileInfo(file).Length, Is.LessThanOrEqualTo(1_000_000 + 1016 + 24));
        if (Tool.Exists("capinfos")) foreach (var file in files) Tool.RunOk("capinfos", file);
    }

    [Test]
    public void SizeRotationWithACountKeepsARing()
    {
        string input = WriteBigPcap(3000, 1000);
        string output = Path.Combine(TempDir, "ring.pcap");
        var run = CliRunner.Run(["-r", input, "-w", output, "-C", "1", "-W", "2"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        var files = Directory.GetFiles(TempDir, "ring.pcap*").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.That(files, Is.EqualTo(new[] { "ring.pcap0", "ring.pcap1" }));
        // The ring keeps the newest packets: the last file written holds the input's tail.
        var all = PacketData(input);
        var newest = new[] { "ring.pcap0", "ring.pcap1" }.Select(f => PacketData(Path.Combine(TempDir, f))).First(p => p[^1].SequenceEqual(all[^1]));
        Assert.That(newest, Is.EqualTo(all.TakeLast(newest.Count)));
    }

    [Test]
    public void TimeRotationNamesFilesWithStrftime()
    {
        string pattern = Path.Combine(TempDir, "t-%Y.pcap");
        var run = CliRunner.Run(["-r", Repository.SamplePath, "-w", pattern, "-G", "3600", "-W", "1", "--format", "pcapng"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        string expected = Path.Combine(TempDir, $"t-{DateTime.Now.Year}.pcap");
        Assert.That(File.Exists(expected), Is.True, string.Join(", ", Directory.GetFiles(TempDir)));
        Assert.That(PacketData(expected), Is.EqualTo(PacketData(Repository.SamplePath)));
        Assert.That(CliRunner.Run(["-r", Repository.SamplePath, "-w", pattern, "-W", "2"]).StdErr, Does.Contain("-W needs -C or -G"));
    }

    [Test]
    public void PacketBufferedOutputIsTheSameCapture()
    {
        string output = Path.Combine(TempDir, "u.pcapng");
        var run = CliRunner.Run(["-r", Repository.SamplePath, "-w", output, "-U"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        Assert.That(PacketData(output), Is.EqualTo(PacketData(Repository.SamplePath)));
    }

    private string WriteBigPcap(int packets, int size)
    {
        string path = Path.Combine(TempDir, "input.pcap");
        using var writer = CaptureWriter.Create(path, CaptureFormat.Pcap, new CaptureWriterOptions());
        var frame = new byte[size];
        for (int i = 0; i < packets; i++)
        {
            BitConverter.TryWriteBytes(frame.AsSpan(14), i);
            writer.Write(new PacketRecord(frame, 1_700_000_000_000_000_000L + i * 1000L, size, LinkType.Ethernet, 0));
        }
        return path;
    }

    private static List<byte[]> PacketData(string path)
    {
        var packets = new List<byte[]>();
        using var reader = CaptureReader.Open(path);
        while (reader.Read()) packets.Add(reader.Current.Data.ToArray());
        return packets;
    }

    private static NcapMessage Stamped(NcapMessage m, uint user1, uint user2) => new()
    {
        Seconds = m.Seconds, Nanoseconds = m.Nanoseconds, User1 = user1, User2 = user2, Source = m.Source, Destination = m.Destination,
        Transport = m.Transport, SourcePort = m.SourcePort, DestinationPort = m.DestinationPort, TcpOffset = m.TcpOffset, TcpFlags = m.TcpFlags,
        IcmpType = m.IcmpType, IcmpCode = m.IcmpCode, Payload = m.Payload,
    };

}
