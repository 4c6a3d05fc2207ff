using System.Net;
using System.Text;
using Wirecap.Formats.Ncap;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Ncap;

/// <summary>ncaptool 1.9.2 as the oracle: it reads what we write, and what it converts from a
/// pcap equals our conversion of the same pcap.</summary>
public class NcapInteropTests : TempDirectoryFixture
{
    [SetUp]
    public void SetUp()
    {
        Tool.Require("ncaptool");
    }

    [Test]
    public void NcaptoolReadsTheMessagesWeWrite()
    {
        var random = new Random(7);
        var messages = new List<NcapMessage>();
        for (int i = 0; i < 60; i++)
        {
            bool v6 = i % 3 == 0, icmp = i % 4 == 1;
            var payload = new byte[random.Next(0, 300)];
            random.NextBytes(payload);
            messages.Add(new NcapMessage
            {
                Seconds = 1700000000u + (uint)i * 7919, Nanoseconds = (uint)random.Next(0, 1_000_000) * 1000,
                User1 = (uint)random.Next(), User2 = (uint)random.Next(),
                Source = v6 ? IPAddress.Parse($"2001:db8::{i + 1:x}") : IPAddress.Parse($"10.0.{i}.1"),
                Destination = v6 ? IPAddress.Parse($"2001:db8:ffff::{i + 7:x}") : IPAddress.Parse($"192.168.{i}.2"),
                Transport = icmp ? NcapTransport.Icmp : NcapTransport.Udp,
                SourcePort = icmp ? (ushort)0 : (ushort)random.Next(1, 65536),
                DestinationPort = icmp ? (ushort)0 : (ushort)random.Next(1, 65536),
                IcmpType = icmp ? (byte)random.Next(0, 256) : (byte)0,
                IcmpCode = icmp ? (byte)random.Next(0, 256) : (byte)0,
                Payload = payload,
            });
        }
        string file = Path.Combine(TempDir, "ours.ncap");
        File.WriteAllBytes(file, NcapTestData.WriteStream(messages));

        var (code, stdout, stderr) = Tool.Run("/usr/bin/env", $"TZ=UTC ncaptool -n {file} -g - -e |");
        Assert.That(code, Is.Zero, stderr);
        var expected = new StringBuilder();
        foreach (var m in messages) expected.Append(TraceLine(m, file)).Append('\n');
        Assert.That(stdout, Is.EqualTo(expected.ToString()));
    }

    [Test]
    public void NcaptoolConversionOfAPcapEqualsOursWhereNcapIsRight()
    {
        Tool.Require("tcpdump");
        string pcap = Path.Combine(TempDir, "in.pcap"), theirs = Path.Combine(TempDir, "theirs.ncap"), ours = Path.Combine(TempDir, "ours.ncap");
        Assert.That(CliRunner.Run(["-r", Repository.SamplePath, "-w", pcap]).ExitCode, Is.Zero);
        var ncaptool = Tool.Run("ncaptool", $"-p {pcap} -o {theirs}");
        Assert.That(ncaptool.ExitCode, Is.Zero, ncaptool.StdErr);
        var run = CliRunner.Run(["-r", pcap, "-w", ours]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);

        var a = NcapTestData.ReadStream(File.OpenRead(theirs));
        var b = NcapTestData.ReadStream(File.OpenRead(ours));
        Assert.That(b, Has.Count.EqualTo(a.Count));
        Assert.That(b, Has.Count.GreaterThanOrEqualTo(10), "the sample's DNS and ICMP messages");
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Transport != NcapTransport.Icmp)
            {
                Assert.That(b[i], Is.EqualTo(a[i]), $"message {i}");
                continue;
            }
            // ncap's ICMP payload runs two bytes past the captured frame; ours ends with the message.
            var theirsTrimmed = new NcapMessage
            {
                Seconds = a[i].Seconds, Nanoseconds = a[i].Nanoseconds, Source = a[i].Source, Destination = a[i].Destination,
                Transport = a[i].Transport, IcmpType = a[i].IcmpType, IcmpCode = a[i].IcmpCode,
                Payload = a[i].Payload[..^2],
            };
            Assert.That(b[i], Is.EqualTo(theirsTrimmed), $"ICMP message {i}");
        }
        // Byte for byte: identical wherever no ICMP message precedes the first difference.
        var theirsBytes = File.ReadAllBytes(theirs);
        var oursBytes = File.ReadAllBytes(ours);
        int firstIcmp = IndexOfFirstIcmp(oursBytes);
        Assert.That(oursBytes[..firstIcmp], Is.EqualTo(theirsBytes[..firstIcmp]));
    }

    [Test]
    public void FragmentedDatagramsAreReassembledLikeNcaptool()
    {
        string pcap = Path.Combine(TempDir, "frag.pcap"), theirs = Path.Combine(TempDir, "theirs.ncap"), ours = Path.Combine(TempDir, "ours.ncap");
        var payload = Enumerable.Range(0, 3000).Select(i => (byte)(i * 31)).ToArray();
        var v4 = Wirecap.Cli.Sample.FrameBuilder.Ip("10.0.0.1", "10.0.0.2", Wirecap.Decoding.IpProtocols.Udp,
            Wirecap.Cli.Sample.FrameBuilder.Udp(4000, 53, payload), id: 0x4242);
        var v6 = Wirecap.Cli.Sample.FrameBuilder.Ip("2001:db8::1", "2001:db8::2", Wirecap.Decoding.IpProtocols.Udp,
            Wirecap.Cli.Sample.FrameBuilder.Udp(4001, 53, payload[..2000]));
        var frames = new List<byte[]>();
        foreach (var f in Wirecap.Tests.Decoding.FragmentBuilder.FragmentIPv4(v4, 1480, 2960))
            frames.Add(Wirecap.Cli.Sample.FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", EtherTypes.IPv4, f));
        foreach (var f in Wirecap.Tests.Decoding.FragmentBuilder.FragmentIPv6(v6, 0x77, 1232))
            frames.Add(Wirecap.Cli.Sample.FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", EtherTypes.IPv6, f));
        using (var writer = Wirecap.Formats.CaptureWriter.Create(pcap, Wirecap.Formats.CaptureFormat.Pcap))
            for (int i = 0; i < frames.Count; i++) writer.Write(frames[i], 1_700_000_000_000_000_000 + i * 1_000_000L);

        var ncaptool = Tool.Run("ncaptool", $"-p {pcap} -o {theirs}");
        Assert.That(ncaptool.ExitCode, Is.Zero, ncaptool.StdErr);
        Assert.That(CliRunner.Run(["-r", pcap, "-w", ours]).ExitCode, Is.Zero);
        var expected = NcapTestData.ReadStream(File.OpenRead(theirs));
        Assert.That(expected, Has.Count.EqualTo(2), "ncaptool delivers each datagram once");
        Assert.That(NcapTestData.ReadStream(File.OpenRead(ours)), Is.EqualTo(expected));
        Assert.That(File.ReadAllBytes(ours), Is.EqualTo(File.ReadAllBytes(theirs)));
    }

    private static int IndexOfFirstIcmp(byte[] stream)
    {
        int at = NcapLayout.FileHeaderLength;
        while (at < stream.Length && System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(stream.AsSpan(at + 22)) != (ushort)NcapTransport.Icmp)
            at += (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(at));
        return at;
    }

    // ncaptool's -g trace with "-e |" as the continuation separator.
    private static string TraceLine(NcapMessage m, string file)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(m.Seconds).UtcDateTime;
        string endpoints = m.Transport == NcapTransport.Icmp
            ? $"[{m.Source}] [{m.Destination}] icmp [{m.IcmpType}:{m.IcmpCode}]"
            : $"[{m.Source}].{m.SourcePort} [{m.Destination}].{m.DestinationPort} udp";
        return $"[{m.Payload.Length} nf {file}] {time:yyyy-MM-dd HH:mm:ss}.{m.Nanoseconds:D9} [{m.User1:x8} {m.User2:x8}] |{endpoints}";
    }
}
