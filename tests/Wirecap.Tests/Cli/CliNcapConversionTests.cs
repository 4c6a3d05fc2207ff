using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Tests.Decoding;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Ncap;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>-r FILE (or -i IFACE) -w OUT.ncap, with or without -1/-2: the conversion runs through the NCAP engine, so
/// fragmented datagrams come out reassembled, an expression filters the reassembled messages, and the output
/// is ncaptool's with the same -1/-2, byte for byte.</summary>
[TestFixture]
public sealed class CliNcapConversionTests : TempDirectoryFixture
{
    private static readonly byte[] Payload = Enumerable.Range(0, 3000).Select(i => (byte)(i * 31)).ToArray();

    /// <summary>An unfragmented DNS query, a UDP datagram in three IPv4 fragments (the last first), a TCP segment
    /// NCAP does not carry, and an IPv6 UDP datagram in two fragments.</summary>
    private string FragmentedCapture()
    {
        var frames = new List<byte[]> { Ethernet4(FrameBuilder.Ip("10.0.0.3", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(5353, 53, Payload[..40]))) };
        var v4 = FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(4000, 53, Payload), id: 0x4242);
        var pieces = FragmentBuilder.FragmentIPv4(v4, 1480, 2960);
        frames.AddRange(new[] { pieces[2], pieces[0], pieces[1] }.Select(Ethernet4));
        frames.Add(Ethernet4(FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Tcp, FrameBuilder.Tcp(1000, 80, 1, 0, TcpFlags.Ack, 100, [], Payload[..10]))));
        var v6 = FrameBuilder.Ip("2001:db8::1", "2001:db8::2", IpProtocols.Udp, FrameBuilder.Udp(4001, 53, Payload[..2000]));
        frames.AddRange(FragmentBuilder.FragmentIPv6(v6, 0x77, 1232)
            .Select(f => FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", EtherTypes.IPv6, f)));

        string path = Path.Combine(TempDir, "fragments.pcap");
        using var writer = CaptureWriter.Create(path, CaptureFormat.Pcap);
        for (int i = 0; i < frames.Count; i++) writer.Write(frames[i], 1_700_000_000_000_000_000 + i * 1_000_000L);
        return path;
    }

    private static byte[] Ethernet4(byte[] packet) => FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", EtherTypes.IPv4, packet);

    [Test]
    public void StampedConversionReassemblesFragmentsAsNcaptoolDoes()
    {
        string input = FragmentedCapture(), ours = Path.Combine(TempDir, "ours.ncap");
        var run = CliRunner.Run(["-r", input, "-w", ours, "-1", "7", "-2", "+0x100"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);

        var messages = Read(ours);
        Assert.That(messages.Select(m => (m.SourcePort, m.Payload.Length)), Is.EqualTo(new[] { (5353, 40), (4000, 3000), (4001, 2000) }),
            "the query, then each fragmented datagram once, whole, when its last fragment arrives");
        Assert.That(messages[1].Payload.ToArray(), Is.EqualTo(Payload));
        Assert.That(messages.Select(m => (m.User1, m.User2)).Distinct(), Is.EqualTo(new[] { (7u, 0x100u) }));
        Assert.That(run.StdErr, Does.Contain("1 packets not written").And.Contain("UnsupportedProtocol: 1"), "the TCP segment");

        Tool.Require("ncaptool");
        string theirs = Path.Combine(TempDir, "theirs.ncap");
        Tool.RunOk("ncaptool", $"-p {input} -1 7 -2 +0x100 -o {theirs}");
        Assert.That(File.ReadAllBytes(ours), Is.EqualTo(File.ReadAllBytes(theirs)), "ncaptool's bytes");
    }

    [Test]
    public void TheExpressionFiltersReassembledMessages()
    {
        string input = FragmentedCapture(), output = Path.Combine(TempDir, "filtered.ncap");
        // Fragments after the first carry no UDP header: only a filter after reassembly can match their datagram.
        var run = CliRunner.Run(["-r", input, "-w", output, "-1", "1", "udp", "src", "port", "4000", "or", "ip6"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        Assert.That(Read(output).Select(m => (m.SourcePort, m.Payload.Length)), Is.EqualTo(new[] { (4000, 3000), (4001, 2000) }));

        var limited = CliRunner.Run(["-r", input, "-w", output, "-1", "1", "-c", "2"]);
        Assert.That(limited.ExitCode, Is.Zero, limited.StdErr);
        Assert.That(Read(output).Select(m => m.SourcePort), Is.EqualTo(new[] { 5353, 4000 }), "-c counts messages written");

        var bad = CliRunner.Run(["-r", input, "-w", output, "-1", "1", "ether", "host", "1:2:3:4:5:6"]);
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.StdErr, Does.Contain("bad filter expression"));
    }

    [Test]
    public void StampedSampleEqualsNcaptoolWithTheSameStamps()
    {
        Tool.Require("ncaptool");
        string pcap = Path.Combine(TempDir, "sample.pcap"), theirs = Path.Combine(TempDir, "theirs.ncap"), ours = Path.Combine(TempDir, "ours.ncap");
        Assert.That(CliRunner.Run(["-r", Repository.SamplePath, "-w", pcap]).ExitCode, Is.Zero);
        Tool.RunOk("ncaptool", $"-p {pcap} -1 0x2a -2 -1 -o {theirs}");
        var run = CliRunner.Run(["-r", pcap, "-w", ours, "-1", "0x2a", "-2", "-1"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);

        var (a, b) = (Read(theirs), Read(ours));
        Assert.That(b, Has.Count.EqualTo(a.Count).And.Count.GreaterThanOrEqualTo(10));
        // ncap's ICMP payload runs two bytes past the captured frame (its over-read bug); every other message is equal.
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Transport != NcapTransport.Icmp) Assert.That(b[i], Is.EqualTo(a[i]), $"message {i}");
            else Assert.That(b[i].Payload.ToArray(), Is.EqualTo(a[i].Payload[..^2].ToArray()), $"ICMP message {i}");
        }
        Assert.That(b.Select(m => m.User1).Distinct(), Is.EqualTo(new[] { 0x2au }));
    }

    [Test]
    public void LiveStampedConversionReassemblesFragments()
    {
        using var net = new TestNetwork(addresses: false);
        string output = Path.Combine(TempDir, "live.ncap");
        using var cli = new Wirecap.Tests.Linux.ReadyProcess("ip",
            $"netns exec {net.Name} dotnet {Wirecap.Tests.Linux.LiveCliTests.Cli} -i {net.InnerB} -c 2 -w {output} -1 7 -2 +0x100", "listening on");
        var v4 = FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(4000, 53, Payload), id: 0x4242);
        net.Run(() =>
        {
            using var injector = new Wirecap.Tests.Linux.FrameInjector(net.InnerA);
            injector.Send(Ethernet4(FrameBuilder.Ip("10.0.0.3", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(5353, 53, Payload[..40]))));
            injector.Send(Ethernet4(FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Tcp, FrameBuilder.Tcp(1000, 80, 1, 0, TcpFlags.Ack, 100, [], Payload[..10]))));
            foreach (var fragment in FragmentBuilder.FragmentIPv4(v4, 1480, 2960)) injector.Send(Ethernet4(fragment));
        });
        Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
        var messages = Read(output);
        Assert.That(messages.Select(m => (m.SourcePort, m.Payload.Length, m.User1, m.User2)),
            Is.EqualTo(new[] { (5353, 40, 7u, 0x100u), (4000, 3000, 7u, 0x100u) }), "the TCP segment is not carried; the datagram comes out whole");
        Assert.That(messages[1].Payload.ToArray(), Is.EqualTo(Payload));
        Assert.That(cli.Stderr, Does.Contain("2 NCAP messages written").And.Contain("packets dropped by kernel"));
    }

    [Test]
    public void PlainNcapOutputIsTheStampedConversionWithoutStamps()
    {
        string input = FragmentedCapture(), plain = Path.Combine(TempDir, "plain.ncap"), stamped = Path.Combine(TempDir, "stamped.ncap");
        // Fragments after the first carry no UDP header: a frame-level filter would keep only the first piece.
        string[] expression = ["udp", "src", "port", "4000", "or", "ip6"];
        var run = CliRunner.Run(["-r", input, "-w", plain, .. expression]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        var messages = Read(plain);
        Assert.That(messages.Select(m => (m.SourcePort, m.Payload.Length)), Is.EqualTo(new[] { (4000, 3000), (4001, 2000) }), "reassembled, then filtered");
        Assert.That(messages[0].Payload.ToArray(), Is.EqualTo(Payload));

        // "+0" ORs nothing into user1: the -1/-2 path with an identity stamp writes the same bytes.
        var identity = CliRunner.Run(["-r", input, "-w", stamped, "-1", "+0", .. expression]);
        Assert.That(identity.ExitCode, Is.Zero, identity.StdErr);
        Assert.That(File.ReadAllBytes(stamped), Is.EqualTo(File.ReadAllBytes(plain)), "the same conversion with and without -1/-2");
        var piped = CliRunner.Run(["-r", input, "-w", "-", "--format", "ncap", "-U", .. expression]);
        Assert.That(piped.ExitCode, Is.Zero, piped.StdErr);
        Assert.That(piped.StdOutBytes, Is.EqualTo(File.ReadAllBytes(plain)), "--format ncap to standard output, packet-buffered");

        Tool.Require("ncaptool");
        string whole = Path.Combine(TempDir, "whole.ncap"), theirs = Path.Combine(TempDir, "theirs.ncap");
        var unfiltered = CliRunner.Run(["-r", input, "-w", whole]);
        Assert.That(unfiltered.ExitCode, Is.Zero, unfiltered.StdErr);
        Assert.That(unfiltered.StdErr, Does.Contain("1 packets not written").And.Contain("UnsupportedProtocol: 1"), "the TCP segment");
        Tool.RunOk("ncaptool", $"-p {input} -o {theirs}");
        Assert.That(File.ReadAllBytes(whole), Is.EqualTo(File.ReadAllBytes(theirs)), "ncaptool's bytes");
    }

    [Test]
    public void NcapSendSendsWhatNcapOutputWrites()
    {
        string input = FragmentedCapture(), written = Path.Combine(TempDir, "written.ncap"), received = Path.Combine(TempDir, "received.ncap");
        string[] expression = ["udp", "src", "port", "4000", "or", "ip6"];
        Assert.That(CliRunner.Run(["-r", input, "-w", written, "-1", "3", .. expression]).ExitCode, Is.Zero);
        int port = Ncap.Datagrams.DatagramTestData.FreeUdpPort();
        var listening = Task.Run(() => CliRunner.Run(["--listen", $"udp:{port}", "-c", "2", "-w", received]));
        PortWaiter.WaitUntilBound(port, failedEarly: () => listening.IsCompleted ? listening.Result.StdErr : null);

        var sent = CliRunner.Run(["-r", input, "--ncap-send", $"127.0.0.1:{port}", "-1", "3", .. expression]);
        Assert.That(sent.ExitCode, Is.Zero, sent.StdErr);
        Assert.That(sent.StdErr, Does.Contain("2 NCAP messages sent").And.Contain("1 packets NCAP cannot carry"), "the TCP segment");
        Assert.That(listening.Wait(TimeSpan.FromSeconds(15)), Is.True, "the listener did not stop after -c messages");
        Assert.That(Read(received), Is.EqualTo(Read(written)), "reassembled and filtered as -w writes them");
        Assert.That(Read(received).Select(m => (m.SourcePort, m.Payload.Length, m.User1)), Is.EqualTo(new[] { (4000, 3000, 3u), (4001, 2000, 3u) }));
    }

    [Test]
    public void NcapInputKeepsItsMessagesAsNcaptoolDoes()
    {
        string input = FragmentedCapture(), stamped = Path.Combine(TempDir, "stamped.ncap"), ours = Path.Combine(TempDir, "ours.ncap");
        Assert.That(CliRunner.Run(["-r", input, "-w", stamped, "-1", "7"]).ExitCode, Is.Zero);
        var run = CliRunner.Run(["-r", stamped, "-w", ours, "-2", "+1", "udp", "src", "port", "4000", "or", "ip6"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        Assert.That(Read(ours).Select(m => (m.SourcePort, m.Payload.Length, m.User1, m.User2)), Is.EqualTo(new[] { (4000, 3000, 7u, 1u), (4001, 2000, 7u, 1u) }),
            "user1 as read, user2 stamped, the expression matched on each message");
        var piped = CliRunner.Run(["-r", "-", "-w", "-", "--format", "ncap", "-2", "+1", "udp", "src", "port", "4000", "or", "ip6"], File.ReadAllBytes(stamped));
        Assert.That(piped.ExitCode, Is.Zero, piped.StdErr);
        Assert.That(piped.StdOutBytes, Is.EqualTo(File.ReadAllBytes(ours)), "standard input is recognised as NCAP too");

        Tool.Require("ncaptool");
        string all = Path.Combine(TempDir, "all.ncap"), theirs = Path.Combine(TempDir, "theirs.ncap");
        Assert.That(CliRunner.Run(["-r", stamped, "-w", all, "-2", "+1"]).ExitCode, Is.Zero);
        Tool.RunOk("ncaptool", $"-n {stamped} -2 +1 -o {theirs}");
        Assert.That(File.ReadAllBytes(all), Is.EqualTo(File.ReadAllBytes(theirs)), "ncaptool -n's bytes");
    }

    [Test]
    public void NcapOutputRefusesRotationAndProgramFiles()
    {
        string input = FragmentedCapture(), output = Path.Combine(TempDir, "x.ncap"), program = Path.Combine(TempDir, "udp.bpf");
        File.WriteAllText(program, "udp");
        var rotated = CliRunner.Run(["-r", input, "-w", output, "-C", "1"]);
        Assert.That(rotated.ExitCode, Is.EqualTo(2));
        Assert.That(rotated.StdErr, Does.Contain("NCAP output").And.Contain("does not rotate"));
        var bpf = CliRunner.Run(["-r", input, "-w", output, "--bpf-file", program]);
        Assert.That(bpf.ExitCode, Is.EqualTo(2));
        Assert.That(bpf.StdErr, Does.Contain("--bpf-file does not apply to NCAP output"));
        Assert.That(File.Exists(output), Is.False);
        var live = CliRunner.Run(["-i", "lo", "--ncap-send", "127.0.0.1:9"]);
        Assert.That(live.ExitCode, Is.EqualTo(2));
        Assert.That(live.StdErr, Does.Contain("--ncap-send sends the packets read with -r"));
    }

    [Test]
    public void LivePlainConversionHonoursDirectionAndRingSize()
    {
        using var net = new TestNetwork(addresses: false);
        string output = Path.Combine(TempDir, "live.ncap");
        using (var cli = new Wirecap.Tests.Linux.ReadyProcess("ip",
            $"netns exec {net.Name} dotnet {Wirecap.Tests.Linux.LiveCliTests.Cli} -i {net.InnerB} -Q in -B 1024 -c 2 -w {output}", "listening on"))
        {
            var v4 = FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(4000, 53, Payload), id: 0x4242);
            net.Run(() =>
            {
                // Sent from the captured interface: outgoing there, so -Q in must leave it out.
                using (var outgoing = new Wirecap.Tests.Linux.FrameInjector(net.InnerB))
                    outgoing.Send(Ethernet4(FrameBuilder.Ip("10.0.0.2", "10.0.0.9", IpProtocols.Udp, FrameBuilder.Udp(7777, 53, Payload[..20]))));
                using var injector = new Wirecap.Tests.Linux.FrameInjector(net.InnerA);
                injector.Send(Ethernet4(FrameBuilder.Ip("10.0.0.3", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(5353, 53, Payload[..40]))));
                foreach (var fragment in FragmentBuilder.FragmentIPv4(v4, 1480, 2960)) injector.Send(Ethernet4(fragment));
            });
            Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
        }
        var messages = Read(output);
        Assert.That(messages.Select(m => (m.SourcePort, m.Payload.Length)), Is.EqualTo(new[] { (5353, 40), (4000, 3000) }),
            "no outgoing message; the fragmented datagram whole without -1/-2 too");
        Assert.That(messages[1].Payload.ToArray(), Is.EqualTo(Payload));

        var (code, _, stderr) = net.TryExec($"dotnet {Wirecap.Tests.Linux.LiveCliTests.Cli} -i {net.InnerB} -B 8388608 -w {output}", timeoutMs: 60_000);
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("is too large").And.Contain("wirecap: the ring was 8388608 KiB; ask for a smaller one with -B KiB"));
    }

    private static List<NcapMessage> Read(string path)
    {
        using var file = File.OpenRead(path);
        return NcapTestData.ReadStream(file);
    }
}
