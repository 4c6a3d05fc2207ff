using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;
using static Wirecap.Tests.Formats.PcapNgBlocks;

namespace Wirecap.Tests.Formats;

/// <summary>
/// Packets longer than the snap length, read as libpcap 1.10 reads them: a pcapng packet longer than its
/// interface's snap length is an error (after the packets before it); a pcap record is cut to the header's snap
/// length, and is an error only beyond the link type's maximum (262144). Crafted files are read by tcpdump -r and
/// by our command, which must print the same lines and fail at the same packet.
/// </summary>
public sealed class SnapLengthTests : TempDirectoryFixture
{
    /// <summary>An Ethernet/IPv4/UDP frame of exactly <paramref name="length"/> bytes.</summary>
    private static byte[] Frame(int length, ushort port = 53) => FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", EtherTypes.IPv4,
        FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(4000, port, new byte[length - 42])));

    private static byte[] Epb(ulong microseconds, byte[] frame) => EnhancedPacket(0, microseconds, frame, (uint)frame.Length);

    [TestCase(64u, 100, 64, TestName = "A packet over a 64-byte snap length stops the read")]
    [TestCase(0u, 262145, 262144, TestName = "A zero snap length means 262144")]
    [TestCase(524288u, 600000, 524288, TestName = "A snap length above 262144 is kept")]
    public void ALongerPacketFailsWhereTcpdumpFails(uint snapLength, int longLength, int effective)
    {
        var longFrame = new byte[longLength];
        Frame(60).CopyTo(longFrame, 0);
        string file = Write([.. SectionHeader(), .. InterfaceDescription(1, snapLength), .. Epb(1_000_000, Frame(60)),
            .. Epb(2_000_000, longFrame), .. Epb(3_000_000, Frame(60, 54))]);

        var (tcpdump, ours) = BothRead(file);
        Assert.That(tcpdump.ExitCode, Is.EqualTo(1), tcpdump.StdErr);
        Assert.That(tcpdump.StdErr, Does.Contain($"invalid packet capture length {longLength}, bigger than snaplen of {effective}"));
        Assert.That(ours.ExitCode, Is.EqualTo(1), ours.StdErr);
        Assert.That(ours.StdErr, Does.Contain($"captured length {longLength} is larger than the snap length {effective} of interface 0"));
        Assert.That(ours.StdOut, Is.EqualTo(tcpdump.StdOut), "the packet before it, printed alike");
        Assert.That(ours.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
        Assert.That(FirstLine(ours.StdErr), Is.EqualTo(FirstLine(tcpdump.StdErr)), "the same snapshot length announced");

        using var reader = CaptureReader.Open(file);
        Assert.That(reader.Read(), Is.True);
        Assert.That(() => reader.Read(), Throws.InstanceOf<CaptureFormatException>());
    }

    [Test]
    public void PacketsWithinTheSnapLengthReadAlike()
    {
        // Cut by the writer to exactly the snap length, and a simple packet whose captured length is implied.
        var cut = Frame(100)[..64];
        string file = Write([.. SectionHeader(), .. InterfaceDescription(1, 64), .. EnhancedPacket(0, 1_000_000, cut, 100),
            .. SimplePacket(100, Frame(100)[..64]), .. Epb(3_000_000, Frame(60))]);

        var (tcpdump, ours) = BothRead(file);
        Assert.That(tcpdump.ExitCode, Is.Zero, tcpdump.StdErr);
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        Assert.That(ours.StdOut, Is.EqualTo(tcpdump.StdOut));
        Assert.That(ours.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
    }

    [TestCase(0u, 300000, "bigger than snaplen of 262144", "larger than the snap length 262144", TestName = "pcap: a zero snap length means 262144")]
    [TestCase(524288u, 300000, "bigger than maximum of 262144", "larger than the maximum 262144 for link type Ethernet", TestName = "pcap: no record beyond 262144 bytes")]
    public void ALongPcapRecordFailsWhereTcpdumpFails(uint snapLength, int longLength, string theirError, string ourError)
    {
        var longFrame = new byte[longLength];
        Frame(60).CopyTo(longFrame, 0);
        string file = WritePcap(snapLength, [Frame(60), longFrame, Frame(60, 54)]);
        var (tcpdump, ours) = BothRead(file);
        Assert.That((tcpdump.ExitCode, ours.ExitCode), Is.EqualTo((1, 1)), tcpdump.StdErr + ours.StdErr);
        Assert.That(tcpdump.StdErr, Does.Contain($"invalid packet capture length {longLength}, {theirError}"));
        Assert.That(ours.StdErr, Does.Contain($"captured length {longLength} is {ourError}"));
        Assert.That(ours.StdOut, Is.EqualTo(tcpdump.StdOut));
        Assert.That(FirstLine(ours.StdErr), Is.EqualTo(FirstLine(tcpdump.StdErr)));
    }

    [Test]
    public void APcapRecordOverTheSnapLengthIsCutLikeTcpdumpCutsIt()
    {
        string file = WritePcap(64, [Frame(100), Frame(60), Frame(300, 54)]);
        var (tcpdump, ours) = BothRead(file);
        Assert.That((tcpdump.ExitCode, ours.ExitCode), Is.EqualTo((0, 0)), tcpdump.StdErr + ours.StdErr);
        Assert.That(ours.StdOut, Is.EqualTo(tcpdump.StdOut));
        using var reader = CaptureReader.Open(file);
        var lengths = new List<(int, int)>();
        while (reader.Read()) lengths.Add((reader.Current.Data.Length, reader.Current.OriginalLength));
        Assert.That(lengths, Is.EqualTo(new[] { (64, 100), (60, 60), (64, 300) }));
    }

    /// <summary>A little-endian microsecond pcap whose records claim to be captured whole.</summary>
    private string WritePcap(uint snapLength, byte[][] frames)
    {
        var bytes = new List<byte>();
        bytes.AddRange([.. U32(0xa1b2c3d4), .. U16(2), .. U16(4), .. U32(0), .. U32(0), .. U32(snapLength), .. U32(1)]);
        for (int i = 0; i < frames.Length; i++)
            bytes.AddRange([.. U32(1_700_000_000), .. U32((uint)i * 1000), .. U32((uint)frames[i].Length), .. U32((uint)frames[i].Length), .. frames[i]]);
        string path = Path.Combine(TempDir, "crafted.pcap");
        File.WriteAllBytes(path, [.. bytes]);
        return path;
    }

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(TempDir, "crafted.pcapng");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static ((int ExitCode, string StdOut, string StdErr) Tcpdump, (int ExitCode, string StdOut, string StdErr) Ours) BothRead(string file)
    {
        Tool.Require("tcpdump");
        var tcpdump = Tool.Run("/usr/bin/env", $"TZ=UTC tcpdump -n -r {file}");
        var ours = CliRunner.Run(["-n", "-r", file]);
        return (tcpdump, (ours.ExitCode, ours.StdOut, ours.StdErr));
    }

    private static string FirstLine(string text) => text.Split('\n')[0];
}
