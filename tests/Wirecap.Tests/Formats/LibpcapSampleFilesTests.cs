using Wirecap.Formats;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>libpcap's own test captures: the good ones read as libpcap reads them, the broken ones are rejected.</summary>
public class LibpcapSampleFilesTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "TestData", "libpcap-pcap");

    private static readonly Dictionary<string, (CaptureFormat Format, string Problem)> Broken = new()
    {
        ["pcap-invalid-version-1.pcap"] = (CaptureFormat.Pcap, "unsupported pcap file format version 1.4"),
        ["pcap-invalid-version-2.pcap"] = (CaptureFormat.Pcap, "unsupported pcap file format version 2.5"),
        ["pcapng-invalid-vers-1.pcapng"] = (CaptureFormat.PcapNg, "unsupported pcapng version 0.1"),
        ["pcapng-invalid-vers-2.pcapng"] = (CaptureFormat.PcapNg, "unsupported pcapng version 1.1"),
        ["shb-option-too-long.pcapng"] = (CaptureFormat.PcapNg, "block total length 52 differs from its trailing copy 808464432"),
        ["linktype-reserved-field-not-zero.pcap"] = (CaptureFormat.Pcap, "reserved bits of the link-type field are not zero"),
    };

    public static IEnumerable<string> GoodFiles() =>
        System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName).OfType<string>()
            .Where(n => n.EndsWith(".pcap", StringComparison.Ordinal) || n.EndsWith(".pcapng", StringComparison.Ordinal))
            .Where(n => !Broken.ContainsKey(n)).Order().NonEmpty($"capture files in {Directory}");

    public static IEnumerable<string> BrokenFiles() => Broken.Keys.Order();

    [TestCaseSource(nameof(GoodFiles))]
    public void Good_file_reads_as_libpcap_reads_it(string name)
    {
        var path = Path.Combine(Directory, name);
        var libpcap = LibpcapView.Read(path);
        Assert.That(libpcap.ExitCode, Is.Zero, libpcap.Error);
        var ours = PeerFrame.ReadWithUs(path);
        Assert.That(ours, Is.EqualTo(libpcap.Frames));
        using var reader = CaptureReader.Open(path);
        Assert.That(LinkTypes.ToDlt(reader.Interfaces[0].LinkType), Is.EqualTo(libpcap.Dlt));
    }

    [TestCaseSource(nameof(BrokenFiles))]
    public void Broken_file_raises_a_format_exception_naming_the_problem(string name)
    {
        var (format, problem) = Broken[name];
        var error = Assert.Throws<CaptureFormatException>(() => PeerFrame.ReadWithUs(Path.Combine(Directory, name)))!;
        Assert.That(error.Format, Is.EqualTo(format));
        Assert.That(error.Problem, Does.Contain(problem));
        Assert.That(error.Message, Does.Contain($"at byte offset {error.Offset}"));
        Assert.That(error.Message, Does.StartWith(format == CaptureFormat.Pcap ? "pcap:" : "pcapng:"));
    }

    // Upstream libpcap rejects all six; Debian 12's libpcap 1.10.3 predates the reserved-bits check.
    [Test]
    public void Libpcap_rejects_the_broken_files_too()
    {
        foreach (var name in Broken.Keys.Where(n => !n.StartsWith("linktype-reserved", StringComparison.Ordinal)))
            Assert.That(LibpcapView.Read(Path.Combine(Directory, name)).ExitCode, Is.Not.Zero, name);
    }
}
