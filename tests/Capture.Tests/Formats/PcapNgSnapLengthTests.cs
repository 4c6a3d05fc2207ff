using Capture.Cli.Sample;
using Capture.Decoding;
using Capture.Formats;
using Capture.Tests.Cli;
using Capture.Tests.Infrastructure;
using NUnit.Framework;
using static Capture.Tests.Formats.PcapNgBlocks;

namespace Capture.Tests.Formats;

/// <summary>
/// pcapng packets longer than their interface's snap length: libpcap (pcap-ng.c) refuses such a packet
/// with an error, after the packets before it, where it cuts a classic pcap record instead. Crafted files
/// are read by tcpdump -r and by our command, which must print the same lines and fail at the same packet.
/// </summary>
public sealed class PcapNgSnapLengthTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "capture-snaplen-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

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

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(_dir, "crafted.pcapng");
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
