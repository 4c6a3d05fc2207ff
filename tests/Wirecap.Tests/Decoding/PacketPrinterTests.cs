using System.Buffers.Binary;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;
using static Wirecap.Cli.Sample.FrameBuilder;

namespace Wirecap.Tests.Decoding;

/// <summary>Our lines against real <c>tcpdump -n -r</c> (both in UTC) on captures of every link
/// type we decode, and the cases tcpdump users see most.</summary>
public class PacketPrinterTests : TempDirectoryFixture
{
    private const string A = "02:00:00:00:00:01", B = "02:00:00:00:00:02";

    [SetUp]
    public void SetUp()
    {
        Tool.Require("tcpdump");
    }

    private static byte[] Ipv4Udp(ushort sport, ushort dport, byte[] payload) =>
        Ip("10.0.0.1", "10.0.0.2", IpProtocols.Udp, Udp(sport, dport, payload));

    private static IEnumerable<byte[]> EthernetVariety()
    {
        yield return Ethernet(A, B, EtherTypes.IPv4, Ipv4Udp(40000, 9999, "hello"u8.ToArray()));
        // IPv4 with options (record route): the payload starts after IHL × 4.
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.1", "10.0.0.2", IpProtocols.Udp, Udp(40001, 9998, "opts"u8), options: [7, 7, 4, 0, 0, 0, 0, 0]));
        // DNS: NXDomain answer with an authority record, and a query without recursion.
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.2", "10.0.0.1", IpProtocols.Udp, Udp(53, 40000, Hex(
            "1235 8183 0001 0000 0001 0000 03626164 076578616d706c65 03636f6d 00 001c 0001 c010 0006 0001 0000012c 0016 026e73c010 02686dc010 00000001 00000002 00000003 00000004 00000005"))));
        yield return Ethernet(A, B, EtherTypes.IPv4, Ipv4Udp(40002, 53, Hex("4321 0000 0001 0000 0000 0000 03777777 076578616d706c65 03636f6d 00 000f 0001")));
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.2", "10.0.0.1", IpProtocols.Udp, Udp(53, 40002, Hex(
            "4321 8580 0001 0002 0000 0000 03777777 076578616d706c65 03636f6d 00 0010 0001 c00c 0010 0001 00000e10 000c 0568656c6c6f 05776f726c64 c00c 0005 0001 00000e10 0002 c010"))));
        // ICMP: echo, port unreachable quoting a UDP datagram, time exceeded.
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.1", "10.0.0.2", IpProtocols.Icmp, Icmp(8, 0, 0x77, 1, "ABCDEFGH"u8)));
        var quoted = Ip("10.0.0.2", "10.0.0.1", IpProtocols.Udp, Udp(9999, 40000, "abcd"u8));
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.1", "10.0.0.2", IpProtocols.Icmp, Icmp(3, 3, 0, 0, quoted)));
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.254", "10.0.0.1", IpProtocols.Icmp, Icmp(11, 0, 0, 0, quoted)));
        // IPv6 UDP and ICMPv6.
        yield return Ethernet(A, B, EtherTypes.IPv6, Ip("2001:db8::1", "2001:db8::2", IpProtocols.Udp, Udp(40000, 9999, "abcd"u8)));
        yield return Ethernet(A, B, EtherTypes.IPv6, Ip("fe80::1", "ff02::2", IpProtocols.Icmpv6, Icmp(133, 0, 0, 0, [])));
        yield return Ethernet(A, B, EtherTypes.IPv6, Ip("::ffff:10.0.0.1", "::1", IpProtocols.Udp, Udp(1, 2, "v4mapped"u8)));
        // TCP: a reset without ACK, a segment with SACK blocks and urgent data, no flags at all.
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.1", "10.0.0.2", IpProtocols.Tcp, Tcp(40001, 5002, 7, 0, TcpFlags.Rst, 0, [], [])));
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.1", "10.0.0.2", IpProtocols.Tcp, Tcp(40003, 5003, 100, 200, TcpFlags.Psh | TcpFlags.Urg, 1000, [1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9], "data"u8)));
        yield return Ethernet(A, B, EtherTypes.IPv4, Ip("10.0.0.1", "10.0.0.2", IpProtocols.Tcp, Tcp(40004, 5004, 1, 0, TcpFlags.None, 0, [], [])));
        // ARP with a known target, RARP-less unknown EtherType.
        yield return Ethernet(A, B, EtherTypes.Arp, Arp(1, A, "10.0.0.1", B, "10.0.0.2"));
        yield return Ethernet(A, B, 0x88b5, "local experimental ethertype payload"u8.ToArray());
        // VLAN-tagged, once and twice: tcpdump without -e shows only the inner packet.
        var inner = Ethernet(A, B, EtherTypes.IPv4, Ipv4Udp(40005, 9997, "tagged"u8.ToArray()));
        yield return [.. inner[..12], 0x81, 0x00, 0x20, 0x05, .. inner[12..]];
        yield return [.. inner[..12], 0x88, 0xA8, 0x00, 0x07, 0x81, 0x00, 0x00, 0x05, .. inner[12..]];
    }

    private static byte[] Hex(string text) => System.Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    private string WritePcap(string name, LinkType linkType, IEnumerable<byte[]> frames)
    {
        string path = Path.Combine(TempDir, name);
        using var writer = CaptureWriter.Create(path, CaptureFormat.Pcap, new CaptureWriterOptions { LinkType = linkType });
        long t = 1_700_000_000_000_000_000;
        foreach (var frame in frames)
        {
            writer.Write(frame, t);
            t += 1_234_567_891;
        }
        return path;
    }

    private static void AssertSameAsTcpdump(string file, params string[] flags)
    {
        string joined = string.Join(' ', flags);
        var tcpdump = Tool.Run("/usr/bin/env", $"TZ=UTC tcpdump -n {joined} -r {file}");
        Assert.That(tcpdump.ExitCode, Is.Zero, tcpdump.StdErr);
        var ours = CliRunner.Run([.. flags, "-n", "-r", file]);
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        var expected = tcpdump.StdOut.Split('\n');
        var actual = ours.StdOut.Split('\n');
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]), $"line {i + 1} of {Path.GetFileName(file)} {joined}");
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        Assert.That(ours.StdErr.Trim(), Is.EqualTo(tcpdump.StdErr.Trim()));
    }

    [Test]
    public void EthernetCasesPrintAsTcpdump() => AssertSameAsTcpdump(WritePcap("eth.pcap", LinkType.Ethernet, EthernetVariety()));

    [TestCase("-q")]
    [TestCase("-t")]
    [TestCase("-tt")]
    [TestCase("-ttt")]
    [TestCase("-tttt")]
    [TestCase("-ttttt")]
    public void OutputOptionsMatchTcpdump(string flag) => AssertSameAsTcpdump(Repository.SamplePath, flag);

    [Test]
    public void OtherLinkTypesPrintAsTcpdump()
    {
        var ip = Ipv4Udp(40000, 9999, "hello"u8.ToArray());
        var ip6 = Ip("2001:db8::1", "2001:db8::2", IpProtocols.Icmpv6, Icmp(128, 0, 5, 2, "xyz"u8));
        AssertSameAsTcpdump(WritePcap("sll.pcap", LinkType.LinuxSll, [[0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, .. ip], [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x86, 0xdd, .. ip6]]));
        AssertSameAsTcpdump(WritePcap("null.pcap", LinkType.Null, [[2, 0, 0, 0, .. ip], [30, 0, 0, 0, .. ip6]]));
        AssertSameAsTcpdump(WritePcap("loop.pcap", LinkType.Loop, [[0, 0, 0, 2, .. ip]]));
        AssertSameAsTcpdump(WritePcap("raw.pcap", LinkType.Raw, [ip, ip6]));
    }

    [Test]
    public void PrintingDoesNotAllocatePerPacket()
    {
        var frames = EthernetVariety().Take(9).ToArray();
        var printer = new PacketPrinter(new PacketPrinterOptions { TimeZone = TimeZoneInfo.Utc });
        long allocated = Allocations.Quietest(6, () =>
        {
            for (int round = 0; round < 100; round++)
                foreach (var frame in frames) printer.Write(TextWriter.Null, LinkType.Ethernet, frame, 1_700_000_000_000_000_000 + round, frame.Length);
        });
        Assert.That(allocated, Is.Zero);
    }
}
