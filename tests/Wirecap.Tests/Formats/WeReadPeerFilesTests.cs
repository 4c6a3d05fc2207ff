using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>Files written by tcpdump, tshark and editcap read by us exactly as tshark reads them.</summary>
public class WeReadPeerFilesTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "TestData", "libpcap-pcap");
    private static string Sample(string name) => Path.Combine(Samples, name);

    private static void AssertSameAsTshark(string path, CaptureFormat format)
    {
        var tshark = PeerFrame.ReadWithTshark(path);
        Assert.That(tshark, Is.Not.Empty);
        Assert.That(PeerFrame.ReadWithUs(path), Is.EqualTo(tshark));
        using var reader = CaptureReader.Open(path);
        Assert.That(reader.Format, Is.EqualTo(format));
    }

    [TestCase("", "vrrp.pcap")]
    [TestCase("--time-stamp-precision=nano", "pim-packet-assortment.pcap")]
    public void Tcpdump_written_pcap(string precision, string source)
    {
        Tool.Require("tcpdump");
        using var files = new TestFiles();
        var path = files["tcpdump.pcap"];
        Tool.RunOk("tcpdump", $"{precision} -r \"{Sample(source)}\" -w \"{path}\"");
        AssertSameAsTshark(path, CaptureFormat.Pcap);
        using var reader = (PcapReader)CaptureReader.Open(path);
        Assert.That(reader.Precision, Is.EqualTo(precision == "" ? TimestampPrecision.Microsecond : TimestampPrecision.Nanosecond));
    }

    [Test]
    public void Tshark_written_pcapng_with_comments_and_several_sections()
    {
        Tool.Require("tshark");
        Tool.Require("editcap");
        using var files = new TestFiles();
        var plain = files["tshark.pcapng"];
        Tool.RunOk("tshark", $"-r \"{Sample("vrrp.pcap")}\" -F pcapng -w \"{plain}\"");
        AssertSameAsTshark(plain, CaptureFormat.PcapNg);

        var commented = files["commented.pcapng"];
        Tool.RunOk("editcap", $"-F pcapng -a \"2:a comment\" -a \"5:ünïcödé\" \"{Sample("AH-IPcomp-IPv6.pcap")}\" \"{commented}\"");
        AssertSameAsTshark(commented, CaptureFormat.PcapNg);
        Assert.That(PeerFrame.ReadWithUs(commented).Count(f => f.Comments != ""), Is.EqualTo(2));

        // Two sections back to back (pcapng allows concatenation): interfaces restart per section.
        var sections = files["sections.pcapng"];
        File.WriteAllBytes(sections, [.. File.ReadAllBytes(plain), .. File.ReadAllBytes(commented)]);
        AssertSameAsTshark(sections, CaptureFormat.PcapNg);
        using var reader = (PcapNgReader)CaptureReader.Open(sections);
        while (reader.Read()) { }
        Assert.That(reader.SectionCount, Is.EqualTo(2));
    }

    [Test]
    public void Editcap_nanosecond_pcap_and_a_byte_swapped_copy()
    {
        Tool.Require("editcap");
        using var files = new TestFiles();
        var nanos = files["nsec.pcap"];
        Tool.RunOk("editcap", $"-F nsecpcap \"{Sample("ipv6_ext_headers.pcap")}\" \"{nanos}\"");
        AssertSameAsTshark(nanos, CaptureFormat.Pcap);
        using (var reader = (PcapReader)CaptureReader.Open(nanos))
        {
            Assert.That(reader.Precision, Is.EqualTo(TimestampPrecision.Nanosecond));
            Assert.That(reader.ByteOrder, Is.EqualTo(CaptureByteOrder.LittleEndian));
        }

        var swapped = files["swapped.pcap"];
        File.WriteAllBytes(swapped, ByteSwap.PcapToBigEndian(File.ReadAllBytes(nanos)));
        AssertSameAsTshark(swapped, CaptureFormat.Pcap);
        Assert.That(PeerFrame.ReadWithUs(swapped), Is.EqualTo(PeerFrame.ReadWithUs(nanos)));
        using (var reader = (PcapReader)CaptureReader.Open(swapped))
            Assert.That(reader.ByteOrder, Is.EqualTo(CaptureByteOrder.BigEndian));
    }

    [Test]
    public void Editcap_pcapng_with_microsecond_interface_and_snaplen_cut()
    {
        Tool.Require("editcap");
        using var files = new TestFiles();
        var cut = files["cut.pcapng"];
        Tool.RunOk("editcap", $"-F pcapng -s 60 \"{Sample("ISIS_external_lsp.pcap")}\" \"{cut}\"");
        AssertSameAsTshark(cut, CaptureFormat.PcapNg);
        Assert.That(PeerFrame.ReadWithUs(cut).All(f => f.CapturedLength <= 60 && f.Length >= f.CapturedLength));
    }

    [Test]
    public void Tcpdump_capture_in_a_test_namespace()
    {
        Tool.Require("tcpdump");
        using var net = new TestNetwork();
        using var files = new TestFiles();
        var path = files["live.pcap"];
        // Both veth ends live in the namespace, so datagrams between them travel over lo.
        // -Z root: tcpdump must keep the right to write into the test's directory.
        net.Exec($"timeout 20 tcpdump -Z root -i lo -c 3 -U -w {path} udp port 9 2>/dev/null & sleep 1; " +
                 $"for i in 1 2 3; do bash -c 'echo datagram $i > /dev/udp/{net.AddressB}/9'; sleep 0.1; done; wait");
        AssertSameAsTshark(path, CaptureFormat.Pcap);
        Assert.That(PeerFrame.ReadWithUs(path), Has.Count.EqualTo(3));
    }
}
