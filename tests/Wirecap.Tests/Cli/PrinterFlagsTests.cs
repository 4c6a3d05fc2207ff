using System.Buffers.Binary;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>
/// -e (link-level header) and -x/-xx (hex dump) print what tcpdump -n prints, line by line: on the sample, and on
/// crafted captures of the other link types the printer knows (VLAN tags, padding, an unknown EtherType, Linux
/// cooked v1 and v2, BSD loopback, raw IP).
/// </summary>
public sealed class PrinterFlagsTests : TempDirectoryFixture
{
    private static readonly string[][] FlagSets =
    [
        ["-e"], ["-x"], ["-xx"], ["-e", "-x"], ["-e", "-q"], ["-q", "-x"], ["-e", "-xx", "-q"], ["-e", "-tttt", "--nano"],
        .. TcpdumpFlagsTests.FlagSets,
    ];

    [TestCaseSource(nameof(FlagSets))]
    public void TheSamplePrintsAsTcpdumpPrintsIt(string[] flags)
    {
        var (ours, theirs) = BothPrint(Repository.SamplePath, flags);
        Assert.That(theirs.Split('\n'), Has.Length.GreaterThan(20));
        Assert.That(ours, Is.EqualTo(theirs));
    }

    [TestCaseSource(nameof(FlagSets))]
    public void EveryLinkTypePrintsAsTcpdumpPrintsIt(string[] flags)
    {
        foreach (var (linkType, frames) in Crafted())
        {
            string file = Path.Combine(TempDir, $"{linkType}.pcap");
            using (var writer = CaptureWriter.Create(file, CaptureFormat.Pcap, new CaptureWriterOptions { LinkType = linkType, SnapLength = 65535 }))
                for (int i = 0; i < frames.Count; i++) writer.Write(frames[i], 1_700_000_000_000_000_000 + i * 1_000_123L);
            var (ours, theirs) = BothPrint(file, flags);
            Assert.That(ours, Is.EqualTo(theirs), $"{linkType} with {string.Join(' ', flags)}");
        }
    }

    [Test]
    public void FlagsParse()
    {
        var options = Wirecap.Cli.CliOptions.Parse(["-exx", "-r", "f"]);
        Assert.That((options.LinkLevelHeader, options.PrinterOptions(TimeZoneInfo.Utc).HexDump), Is.EqualTo((true, HexDumpStyle.WholeFrame)));
        Assert.That(Wirecap.Cli.CliOptions.Parse(["-x"]).PrinterOptions(TimeZoneInfo.Utc).HexDump, Is.EqualTo(HexDumpStyle.AfterLinkHeader));
        Assert.That(Wirecap.Cli.CliOptions.Parse([]).PrinterOptions(TimeZoneInfo.Utc).HexDump, Is.EqualTo(HexDumpStyle.None));
    }

    /// <summary>Prints <paramref name="file"/> with tcpdump -n and with us, with the same flags; both must succeed and say
    /// the same on standard error.</summary>
    internal static (string Ours, string Theirs) BothPrint(string file, string[] flags)
    {
        Tool.Require("tcpdump");
        var tcpdump = Tool.Run("/usr/bin/env", $"TZ=UTC tcpdump -n {string.Join(' ', flags)} -r {file}");
        Assert.That(tcpdump.ExitCode, Is.Zero, tcpdump.StdErr);
        var ours = CliRunner.Run(["-n", .. flags, "-r", file]);
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        Assert.That(ours.StdErr, Is.EqualTo(tcpdump.StdErr), "the reading-from line (and SLL2's warning)");
        return (ours.StdOut, tcpdump.StdOut);
    }

    private static byte[] Udp(string source, string destination, int payload = 1) =>
        FrameBuilder.Ip(source, destination, IpProtocols.Udp, FrameBuilder.Udp(1000, 2000, new byte[payload]));

    private static IEnumerable<(LinkType, List<byte[]>)> Crafted()
    {
        var udp = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 20);
        var unknown = FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", 0x88b5, "hello, world! hello, world! hello, world!"u8);
        yield return (LinkType.Ethernet,
        [
            FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", EtherTypes.IPv4, Udp("10.0.0.1", "10.0.0.2")), // padded to 60 bytes
            FrameBuilder.Tagged(udp, 0x2064),
            FrameBuilder.Tagged(FrameBuilder.Tagged(udp, 0x10c8), 0x0064, EtherTypes.ProviderBridging), // inner tag with DEI set
            FrameBuilder.Tagged(FrameBuilder.Ethernet("02:00:00:00:00:0a", "ff:ff:ff:ff:ff:ff", EtherTypes.Arp,
                FrameBuilder.Arp(1, "02:00:00:00:00:0a", "192.0.2.10", "00:00:00:00:00:00", "192.0.2.1")), 7),
            unknown,
            FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", EtherTypes.IPv6, Udp("2001:db8::1", "2001:db8::2", 300)),
        ]);
        yield return (LinkType.LinuxSll, [Cooked(0, EtherTypes.IPv4, Udp("10.0.0.1", "10.0.0.2")), Cooked(4, EtherTypes.IPv6, Udp("2001:db8::1", "2001:db8::2")),
            Cooked(1, EtherTypes.Arp, FrameBuilder.Arp(2, "02:00:00:00:00:01", "192.0.2.1", "02:00:00:00:00:0a", "192.0.2.10")), Cooked(2, 0x88b5, new byte[20])]);
        yield return (LinkType.LinuxSll2, [Cooked2(0, EtherTypes.IPv4, Udp("10.0.0.1", "10.0.0.2")), Cooked2(4, EtherTypes.IPv6, Udp("2001:db8::1", "2001:db8::2")),
            Cooked2(3, 0x88b5, new byte[20]), Cooked2(1, EtherTypes.IPv4, Udp("10.0.0.1", "10.0.0.2"), interfaceIndex: 999_999)]);
        yield return (LinkType.Null, [[2, 0, 0, 0, .. Udp("10.0.0.1", "10.0.0.2")], [30, 0, 0, 0, .. Udp("2001:db8::1", "2001:db8::2")]]);
        yield return (LinkType.Raw, [Udp("10.0.0.1", "10.0.0.2"), Udp("2001:db8::1", "2001:db8::2", 100)]);
    }

    /// <summary>A Linux cooked (v1) frame from 02:00:00:00:00:01.</summary>
    private static byte[] Cooked(ushort packetType, ushort protocol, byte[] payload)
    {
        var frame = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, packetType);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
        FrameBuilder.Mac("02:00:00:00:00:01").CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), protocol);
        payload.CopyTo(frame, 16);
        return frame;
    }

    /// <summary>A Linux cooked v2 frame, by default on interface 1 (lo here and in tcpdump's lookup alike).</summary>
    private static byte[] Cooked2(byte packetType, ushort protocol, byte[] payload, uint interfaceIndex = 1)
    {
        var frame = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, protocol);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), interfaceIndex);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1);
        frame[10] = packetType;
        frame[11] = 6;
        FrameBuilder.Mac("02:00:00:00:00:01").CopyTo(frame, 12);
        payload.CopyTo(frame, 20);
        return frame;
    }
}
