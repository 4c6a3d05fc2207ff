using System.Globalization;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>Files we write are read by tshark, tcpdump/libpcap and capinfos with the same packets, times and bytes.</summary>
public class PeersReadOurFilesTests
{
    private static void WriteFile(string path, CaptureFormat format, CaptureWriterOptions options, IEnumerable<Packet> packets)
    {
        using var writer = CaptureWriter.Create(path, format, options);
        foreach (var p in packets) writer.Write(p);
    }

    [TestCase(TimestampPrecision.Microsecond, CaptureByteOrder.LittleEndian)]
    [TestCase(TimestampPrecision.Nanosecond, CaptureByteOrder.BigEndian)]
    [TestCase(TimestampPrecision.Nanosecond, CaptureByteOrder.LittleEndian)]
    public void Pcap_we_write_is_read_the_same_by_tshark_libpcap_tcpdump_and_capinfos(TimestampPrecision precision, CaptureByteOrder order)
    {
        using var files = new TestFiles();
        var path = files["ours.pcap"];
        var packets = SamplePackets.Make(60);
        const int snap = 200;
        WriteFile(path, CaptureFormat.Pcap, new CaptureWriterOptions { Precision = precision, ByteOrder = order, SnapLength = snap }, packets);
        long unit = precision == TimestampPrecision.Nanosecond ? 1 : 1000;
        var expected = packets.Select(p => SamplePackets.Expected(p, snap, unit)).ToList();

        Assert.That(PeerFrame.ReadWithTshark(path), Is.EqualTo(expected), "tshark");
        var libpcap = LibpcapView.Read(path);
        Assert.That(libpcap.ExitCode, Is.Zero, libpcap.Error);
        Assert.That(libpcap.Frames, Is.EqualTo(expected), "libpcap");
        Assert.That((libpcap.Dlt, libpcap.SnapLength), Is.EqualTo((1, snap)));
        AssertTcpdumpTimes(path, expected);
        AssertCapinfos(path, expected);
    }

    [TestCase(CaptureByteOrder.LittleEndian)]
    [TestCase(CaptureByteOrder.BigEndian)]
    public void Pcapng_we_write_with_interfaces_and_options_is_read_the_same_by_tshark_and_capinfos(CaptureByteOrder order)
    {
        using var files = new TestFiles();
        var path = files["ours.pcapng"];
        var packets = SamplePackets.Make(40, interfaces: 3, withOptions: true);
        var interfaces = new List<CaptureInterface>
        {
            new() { Name = "eth0", Description = "first", SnapLength = 262144 },
            new() { Name = "eth1", TimestampResolution = 6 },
            new() { Name = "lo", TimestampResolution = 0x80 | 20 },
        };
        using (var writer = CaptureWriter.Create(path, CaptureFormat.PcapNg, new CaptureWriterOptions { ByteOrder = order, Interfaces = interfaces }))
        {
            foreach (var p in packets) writer.Write(p);
            writer.WriteStatistics(new InterfaceStatistics { InterfaceId = 0, TimestampNanoseconds = SamplePackets.Start, ReceivedByInterface = 40, DroppedByOs = 1 });
        }
        var expected = packets.Select(p =>
        {
            var iface = interfaces[p.InterfaceId];
            var e = SamplePackets.Expected(p, withComments: true);
            // The written unit truncates; a base-2 unit is not a whole number of nanoseconds.
            var units = Timestamps.NanosecondsToUnits(p.TimestampNanoseconds, iface.TimestampResolution, 0);
            Timestamps.TryUnitsToNanoseconds(units, iface.TimestampResolution, 0, out long ns);
            return e with { Epoch = PeerFrame.EpochOf(ns) };
        }).ToList();

        var tshark = PeerFrame.ReadWithTshark(path);
        Assert.That(tshark.Count, Is.EqualTo(expected.Count));
        for (int i = 0; i < tshark.Count; i++)
        {
            // tshark rounds base-2 fractions to nanoseconds; allow that one nanosecond.
            var (t, e) = (tshark[i], expected[i]);
            Assert.That(t with { Epoch = e.Epoch }, Is.EqualTo(e), $"frame {i}");
            Assert.That(Math.Abs(decimal.Parse(t.Epoch, CultureInfo.InvariantCulture) - decimal.Parse(e.Epoch, CultureInfo.InvariantCulture)),
                Is.LessThanOrEqualTo(0.000000001m), $"frame {i} time");
        }
        Assert.That(Tool.RunOk("capinfos", $"-T -r -c \"{path}\"").Trim(), Does.EndWith("\t40"));
        var summary = Tool.RunOk("capinfos", $"-M \"{path}\"");
        Assert.That(summary, Does.Contain("Number of interfaces in file: 3"));
        Assert.That(summary, Does.Contain("Number of stat entries = 1"));
    }

    [Test]
    public void Pcapng_with_one_link_type_is_read_by_libpcap_and_tcpdump()
    {
        using var files = new TestFiles();
        var path = files["ours.pcapng"];
        var packets = SamplePackets.Make(30, interfaces: 2);
        WriteFile(path, CaptureFormat.PcapNg, new CaptureWriterOptions
        {
            Interfaces = [new CaptureInterface { Name = "a" }, new CaptureInterface { Name = "b" }],
        }, packets);
        var expected = packets.Select(p => SamplePackets.Expected(p) with { InterfaceId = 0 }).ToList();
        var libpcap = LibpcapView.Read(path);
        Assert.That(libpcap.ExitCode, Is.Zero, libpcap.Error);
        Assert.That(libpcap.Frames, Is.EqualTo(expected));
        AssertTcpdumpTimes(path, expected);
        AssertCapinfos(path, expected);
    }

    private static void AssertTcpdumpTimes(string path, List<PeerFrame> expected)
    {
        Tool.Require("tcpdump");
        var output = Tool.RunOk("tcpdump", $"--time-stamp-precision=nano -tt -nn -r \"{path}\"");
        var times = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToList();
        Assert.That(times, Is.EqualTo(expected.Select(e => e.Epoch).ToList()), "tcpdump");
    }

    private static void AssertCapinfos(string path, List<PeerFrame> expected)
    {
        Tool.Require("capinfos");
        var fields = Tool.RunOk("capinfos", $"-T -r -c -a -e -S \"{path}\"").Trim().Split('\t');
        Assert.That(int.Parse(fields[1], CultureInfo.InvariantCulture), Is.EqualTo(expected.Count), "capinfos count");
        var sorted = expected.Select(e => e.Epoch).Order(StringComparer.Ordinal).ToList();
        // capinfos prints as many decimals as the file's resolution: compare at that precision.
        Assert.That(expected[0].Epoch, Does.StartWith(fields[2]), "capinfos start");
        Assert.That(sorted[^1], Does.StartWith(fields[3]), "capinfos end");
    }
}
