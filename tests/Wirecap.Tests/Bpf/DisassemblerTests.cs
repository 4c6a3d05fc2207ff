using System.IO.Compression;
using Wirecap.Bpf;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>Our tcpdump -d/-dd/-ddd against libpcap's own bpf_dump and against real tcpdump output.</summary>
public sealed class DisassemblerTests
{
    private static readonly uint[] s_interestingK =
        [0, 12, 0xfffff000, 0xfffff004, 0xfffff02c, 0xfffff03c, 0xfffff040, 0xffffffff, 0x80000000, 0xffe00000, 0x7fffffff];

    /// <summary>Every 9-bit opcode with varied k, jt and jf, so indices pass 1000 and every branch of bpf_image is hit.</summary>
    private static BpfInstruction[] EveryOpcode()
    {
        var program = new List<BpfInstruction>();
        for (int code = 0; code < 0x200; code++)
            for (int i = 0; i < s_interestingK.Length; i++)
                program.Add(new BpfInstruction((ushort)code, (byte)(i * 23), (byte)(255 - i), s_interestingK[i]));
        return [.. program];
    }

    [TestCase(BpfTextFormat.Listing)]
    [TestCase(BpfTextFormat.CArray)]
    [TestCase(BpfTextFormat.Decimal)]
    public void Every_opcode_prints_as_libpcap_prints_it(BpfTextFormat format)
    {
        Tool.Require("gcc");
        BpfInstruction[] program = EveryOpcode();
        Assert.That(BpfDisassembler.Format(program, format), Is.EqualTo(LibpcapDump.Dump(program, format)));
    }

    [TestCase(BpfTextFormat.CArray)]
    [TestCase(BpfTextFormat.Decimal)]
    public void Lossless_forms_read_back_every_opcode(BpfTextFormat format)
    {
        BpfInstruction[] program = EveryOpcode();
        Assert.That(BpfAssembler.Parse(BpfDisassembler.Format(program, format), out var detected), Is.EqualTo(program));
        Assert.That(detected, Is.EqualTo(format));
    }

    [Test]
    public void Listing_reads_back_to_the_same_text_for_every_opcode()
    {
        string listing = BpfDisassembler.Format(EveryOpcode(), BpfTextFormat.Listing);
        Assert.That(BpfDisassembler.Format(BpfAssembler.Parse(listing), BpfTextFormat.Listing), Is.EqualTo(listing));
    }

    public static readonly string[] Expressions =
    [
        "ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "tcp port 80", "udp and dst port 53",
        "ip and not net 10.0.0.0/8", "host 192.168.1.1", "src host 10.1.2.3 and dst net 172.16.0.0/12",
        "ether host 00:11:22:33:44:55", "ether broadcast", "ether multicast", "ip multicast", "ip broadcast",
        "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "tcp[13] & 2 != 0 and tcp[13] & 16 = 0", "portrange 6000-6010",
        "tcp src portrange 1-1023", "greater 1000", "less 64", "len > 100 and len < 1500", "vlan", "vlan 100 and ip",
        "vlan and ip6 protochain 6", "ip6 protochain 17", "ip proto 47", "ip6 and tcp port 443", "mpls", "pppoes",
        "ip[2:2] > 576", "ip[6:2] & 0x1fff != 0", "udp[8:4] = 0xdeadbeef", "ip6[6] = 58",
        "not (port 22 or port 53)", "net 192.168.0.0 mask 255.255.0.0", "ip host 1.2.3.4 and (tcp or udp)",
        "ether proto 0x88cc", "tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420", "ip[0] & 0xf != 5",
        "icmp[icmptype] = icmp-echo", "udp port 67 or udp port 68", "ip6 net fe80::/10",
        "ip[8] * 2 / 3 - 1 + 4 % 3 > 10", "ip[1] ^ 0xff = 0 or ip[1] << 2 = 8 or ip[1] >> 1 = 3",
    ];

    [TestCaseSource(nameof(Expressions))]
    public void Tcpdump_listings_of_real_filters_are_reproduced(string expression)
    {
        Tool.Require("tcpdump");
        string Dump(string flag) => Tool.RunOk("tcpdump", $"{flag} -y EN10MB '{expression}'".Replace("'", "\""));
        string ddd = Dump("-ddd");
        BpfInstruction[] program = BpfAssembler.Parse(ddd);
        Assert.That(BpfDisassembler.Format(program, BpfTextFormat.Listing), Is.EqualTo(Dump("-d")), "-d");
        Assert.That(BpfDisassembler.Format(program, BpfTextFormat.CArray), Is.EqualTo(Dump("-dd")), "-dd");
        Assert.That(BpfDisassembler.Format(program, BpfTextFormat.Decimal), Is.EqualTo(ddd), "-ddd");
    }

    /// <summary>
    /// The distinct listings libpcap's own filter test suite expects (TestData/libpcap-suite-listings.txt.gz,
    /// from TESTrun via TestData/tools/extract-libpcap-listings.py). TESTrun ignores trailing blanks, so we do too.
    /// </summary>
    [Test]
    public void Listings_of_libpcaps_filter_test_suite_are_reproduced()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "libpcap-suite-listings.txt.gz");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        string[] listings = new StreamReader(gzip).ReadToEnd().Split("%%\n");
        foreach (string expected in listings)
        {
            BpfInstruction[] program = BpfAssembler.Parse(expected);
            Assert.That(TrimLineEnds(BpfDisassembler.Format(program, BpfTextFormat.Listing)), Is.EqualTo(expected));
        }
        Assert.That(listings, Has.Length.GreaterThan(900));
    }

    private static string TrimLineEnds(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.TrimEnd(' ')));
}
