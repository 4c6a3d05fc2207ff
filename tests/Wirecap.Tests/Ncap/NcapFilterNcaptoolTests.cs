using System.Net;
using Wirecap.Formats.Ncap;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Decoding;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Ncap;

/// <summary>
/// ncaptool as the oracle of <c>--ncap-filter</c>: the same NCAP file goes through <c>ncaptool -n IN -o OUT SPEC</c>
/// and <c>wirecap -r IN -w OUT.ncap --ncap-filter SPEC</c>, and both must keep the same messages, in order. The
/// corpus holds DNS queries and responses of every opcode, rcode and flag the terms name, from and to several
/// addresses over IPv4 and IPv6, on the DNS ports and off them, over UDP and TCP, payloads with trailing bytes or
/// cut short (at least 4 bytes: ncaptool reads the flags of a shorter payload from past its end), and ICMP
/// messages of every named type and a few others.
/// </summary>
public sealed class NcapFilterNcaptoolTests : TempDirectoryFixture
{
    private static readonly string[] Specs =
    [
        "dns", "DNS", "icmp", "dns icmp",
        "dns flags=qr", "dns flags=qr,aa", "dns flags=aa,tc", "dns flags#qr", "dns flags#rd,cd", "dns flags=ad", "dns f=ra", "dns flags=cd",
        "dns opcode=query", "dns opcode=notify,update", "dns opcode#query", "dns o=u", "dns opcode=n",
        "dns rcode=nxdomain", "dns rcode=noerror,servfail", "dns rcode#noerror", "dns rcode=3", "dns r=refused", "dns rcode=n", "dns rcode#3,5",
        "dns initiator=192.0.2.10", "dns initiator#192.0.2.10", "dns target=192.0.2.53,2001:db8::53", "dns t=2001:db8::53",
        "dns i=198.51.100.7", "dns initiator=2001:db8::10 flags#qr", "dns target#192.0.2.53",
        "dns qname=www.example.com", "dns qname=WWW.Example.COM", "dns qname=www.example.com.", "dns qname=example.com",
        "dns qtype=aaaa", "dns qtype=MX", "dns qtype=A", "dns qn=mail.example.org qt=MX",
        "dns regex=example", "dns regex=^www", "dns regex#example", "dns regex=EXAMPLE/i", "dns regex=192\\.0\\.2\\.1", "dns regex=mail\\.example\\.org$",
        "dns regex=5M", "dns regex=1h30m", "dns regex=IN.CNAME", "dns regex=^mail\\.example\\.org.1H.IN.A..192\\.0\\.2\\.1$",
        "dns regex=AAAA.2001:db8::1$", "dns regex=IN.MX.10.mx\\.example\\.org$", "dns regex=\"hello\".\"w", "dns regex=example\\.com\\.",
        "icmp type=echo", "icmp type=echorequest", "icmp type=unreach,timxceed", "icmp type#echo", "icmp type=t", "icmp type=8",
        "icmp type=0x0b", "icmp type=010", "icmp type=300", "icmp type#300", "icmp code=1", "icmp code#0", "icmp c=3 t=unreach",
        "dns rcode=nxdomain icmp type=unreach", "dns flags=qr rcode=nxdomain", "dns opcode=notify icmp", "icmp type=redirect dns flags=tc",
    ];

    private string _corpus = "";
    private int _messages;

    [OneTimeSetUp]
    public void WriteCorpus()
    {
        var messages = Corpus().Select((m, i) => WithSeconds(m, (uint)i)).ToList();
        _messages = messages.Count;
        _corpus = Path.Combine(Path.GetTempPath(), $"ncap-filter-corpus-{Environment.ProcessId}.ncap");
        File.WriteAllBytes(_corpus, NcapTestData.WriteStream(messages));
    }

    [OneTimeTearDown]
    public void RemoveCorpus() => File.Delete(_corpus);

    [TestCaseSource(nameof(Specs))]
    public void SelectsWhatNcaptoolSelects(string spec)
    {
        Tool.Require("ncaptool");
        string theirs = Path.Combine(TempDir, "theirs.ncap"), ours = Path.Combine(TempDir, "ours.ncap");
        RunNcaptool(["-n", _corpus, "-o", theirs, .. spec.Split(' ')]);
        var run = CliRunner.Run(["-r", _corpus, "-w", ours, "--ncap-filter", spec]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        var expected = Selected(theirs);
        var actual = Selected(ours);
        Assert.That(actual, Is.EqualTo(expected), $"messages kept by '{spec}' (numbered 0..{_messages - 1})");
        if (spec is "dns" or "icmp") Assert.That(expected, Is.Not.Empty.And.Count.LessThan(_messages));
    }

    [Test]
    public void EveryNcapOutputTakesTheFilter()
    {
        string written = Path.Combine(TempDir, "written.ncap"), received = Path.Combine(TempDir, "received.ncap"),
            listened = Path.Combine(TempDir, "listened.ncap");
        Assert.That(CliRunner.Run(["-r", _corpus, "-w", written, "--ncap-filter", "dns rcode=nxdomain"]).ExitCode, Is.Zero);
        var expected = Selected(written);
        Assert.That(expected, Is.Not.Empty);

        int port = Datagrams.DatagramTestData.FreeUdpPort();
        var listening = Task.Run(() => CliRunner.Run(["--listen", $"udp:{port}", "-c", expected.Count.ToString(), "-w", received]));
        PortWaiter.WaitUntilBound(port, failedEarly: () => listening.IsCompleted ? listening.Result.StdErr : null);
        var sent = CliRunner.Run(["-r", _corpus, "--ncap-send", $"127.0.0.1:{port}", "--ncap-filter", "dns rcode=nxdomain"]);
        Assert.That(sent.ExitCode, Is.Zero, sent.StdErr);
        Assert.That(listening.Wait(TimeSpan.FromSeconds(15)), Is.True, "the listener did not stop after -c messages");
        Assert.That(Selected(received), Is.EqualTo(expected), "--ncap-send sends what -w writes");

        var aa = Selected(Run(["-r", _corpus, "-w", Path.Combine(TempDir, "aa.ncap"), "--ncap-filter", "dns flags=aa"], "aa.ncap"));
        port = Datagrams.DatagramTestData.FreeUdpPort();
        listening = Task.Run(() => CliRunner.Run(["--listen", $"udp:{port}", "-c", aa.Count.ToString(), "-w", listened, "--ncap-filter", "dns flags=aa"]));
        PortWaiter.WaitUntilBound(port, failedEarly: () => listening.IsCompleted ? listening.Result.StdErr : null);
        Assert.That(CliRunner.Run(["-r", _corpus, "--ncap-send", $"127.0.0.1:{port}"]).ExitCode, Is.Zero);
        Assert.That(listening.Wait(TimeSpan.FromSeconds(15)), Is.True, "the listener did not stop after -c messages");
        Assert.That(Selected(listened), Is.EqualTo(aa), "--listen udp keeps what the filter selects");
        Assert.That(listening.Result.StdErr, Does.Match(@"more left out by --ncap-filter"));
    }

    [Test]
    public void TheFilterNeedsAnNcapOutputAndAValidSpecification()
    {
        var printing = CliRunner.Run(["-r", _corpus, "--ncap-filter", "dns"]);
        Assert.That(printing.ExitCode, Is.EqualTo(2));
        Assert.That(printing.StdErr, Does.Contain("--ncap-filter applies to NCAP output only"));
        var pcap = CliRunner.Run(["-r", _corpus, "-w", Path.Combine(TempDir, "x.pcap"), "--ncap-filter", "dns"]);
        Assert.That(pcap.ExitCode, Is.EqualTo(2));
        var bad = CliRunner.Run(["-r", _corpus, "-w", Path.Combine(TempDir, "x.ncap"), "--ncap-filter", "dns flags=zz"]);
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.StdErr, Does.Contain("bad --ncap-filter 'dns flags=zz'").And.Contain("column 11").And.Contain("unknown DNS flag 'zz'"));
    }

    /// <summary>Frames ncaptool turns into messages although their lengths contradict the frame: we drop them and
    /// say how many (the README lists them beside ncaptool's behaviour).</summary>
    [Test]
    public void MalformedLengthsAreDroppedAndCountedWhereNcaptoolKeepsThem()
    {
        Tool.Require("ncaptool");
        var udp = Wirecap.Cli.Sample.FrameBuilder.Ip("192.0.2.10", "192.0.2.53", 17, Wirecap.Cli.Sample.FrameBuilder.Udp(40000, 53, Query("www.example.com", 1)));
        byte[] Frame(byte[] ip) => Wirecap.Cli.Sample.FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", 0x0800, ip);
        byte[] WithWord(byte[] ip, int at, int value) { var copy = (byte[])ip.Clone(); copy[at] = (byte)(value >> 8); copy[at + 1] = (byte)value; return copy; }
        static byte[] Checksummed(byte[] ip)
        {
            ip[10] = ip[11] = 0;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(10), Wirecap.Decoding.InternetChecksum.Compute(ip.AsSpan(0, 20)));
            return ip;
        }
        byte[][] frames =
        [
            Frame(udp),                                   // a well-formed query, kept by both
            Frame(Checksummed(WithWord(udp, 2, 0))),      // IP total length 0
            Frame(Checksummed(WithWord(udp, 2, udp.Length + 100))), // IP total length past the frame
            Frame(Checksummed(WithWord(udp, 2, 20 + 8 + 10))), // UDP length past the IP payload (ncaptool reads the frame's bytes)
        ];
        string input = Path.Combine(TempDir, "malformed.pcap"), theirs = Path.Combine(TempDir, "theirs.ncap"), ours = Path.Combine(TempDir, "ours.ncap");
        File.WriteAllBytes(input, Engine.EngineTestData.Pcap(frames).ToArray());
        RunNcaptool(["-p", input, "-o", theirs]);
        var run = CliRunner.Run(["-r", input, "-w", ours]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        Assert.That(Selected(theirs), Has.Count.EqualTo(4), "ncaptool makes a message of every frame");
        Assert.That(Selected(ours), Has.Count.EqualTo(1));
        Assert.That(run.StdErr, Does.Contain("3 packets not written").And.Contain("Malformed: 3"));
    }

    private string Run(string[] args, string output)
    {
        var run = CliRunner.Run(args);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        return Path.Combine(TempDir, output);
    }

    /// <summary>Runs ncaptool with each argument as it is (the spec may hold quotes and backslashes).</summary>
    private static void RunNcaptool(string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ncaptool") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(60_000), Is.True, "ncaptool did not finish");
        Assert.That(process.ExitCode, Is.Zero, $"ncaptool {string.Join(' ', arguments)}: {errors}");
    }

    private static List<uint> Selected(string path)
    {
        if (!File.Exists(path)) return []; // ncaptool opens its output with the first message it writes
        using var stream = File.OpenRead(path);
        return NcapTestData.ReadStream(stream).Select(m => m.Seconds).ToList();
    }

    private static NcapMessage WithSeconds(NcapMessage m, uint seconds) => new()
    {
        Seconds = seconds, Nanoseconds = 1000, Source = m.Source, Destination = m.Destination, Transport = m.Transport,
        SourcePort = m.SourcePort, DestinationPort = m.DestinationPort, IcmpType = m.IcmpType, IcmpCode = m.IcmpCode,
        TcpOffset = m.TcpOffset, TcpFlags = m.TcpFlags, Payload = m.Payload,
    };

    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10"), Other = IPAddress.Parse("198.51.100.7"),
        Server = IPAddress.Parse("192.0.2.53"), Client6 = IPAddress.Parse("2001:db8::10"), Server6 = IPAddress.Parse("2001:db8::53");

    private static NcapMessage Udp(IPAddress source, IPAddress destination, ushort sport, ushort dport, byte[] payload,
        NcapTransport transport = NcapTransport.Udp) => new()
    {
        Source = source, Destination = destination, Transport = transport, SourcePort = sport, DestinationPort = dport, Payload = payload,
    };

    private static NcapMessage Icmp(byte type, byte code) => new()
    {
        Source = Server, Destination = Client, Transport = NcapTransport.Icmp, IcmpType = type, IcmpCode = code, Payload = new byte[8],
    };

    private static byte[] Query(string name, ushort type, int opcode = 0, ushort flags = 0x0100) =>
        new DnsMessageBuilder(0x1234, (ushort)(flags | opcode << 11), 1, 0).Question(name, type).ToArray();

    private static byte[] Response(string name, ushort type, int rcode, ushort flags = 0x8180, int opcode = 0)
    {
        var b = new DnsMessageBuilder(0x1234, (ushort)(flags | rcode | opcode << 11), 1, rcode == 0 ? 2 : 0).Question(name, type);
        if (rcode == 0)
        {
            b.Pointer(12).Word(5).Word(1).DoubleWord(300).Word((ushort)DnsMessageBuilder.EncodeName("mail.example.org").Length)
                .Raw(DnsMessageBuilder.EncodeName("mail.example.org"));
            b.Record("mail.example.org", type, type == 15 ? 5400u : 3600u, type switch
            {
                28 => IPAddress.Parse("2001:db8::1").GetAddressBytes(),
                16 => [5, .. "hello"u8, 8, .. "w\"orld\\!"u8],
                15 => [0, 10, .. DnsMessageBuilder.EncodeName("mx.example.org")],
                _ => [192, 0, 2, 1],
            });
        }
        return b.ToArray();
    }

    private static IEnumerable<NcapMessage> Corpus()
    {
        (string Name, ushort Type)[] questions = [("www.example.com", 1), ("mail.example.org", 15), ("www.example.com", 28), ("other.test", 16)];
        foreach (var (client, server) in new[] { (Client, Server), (Other, Server), (Client6, Server6) })
        {
            foreach (var (name, type) in questions)
            {
                foreach (int opcode in new[] { 0, 2, 4, 5 })
                    yield return Udp(client, server, 40000, 53, Query(name, type, opcode));
                yield return Udp(client, server, 40000, 53, Query(name, type, flags: 0x0010)); // CD, no RD
                yield return Udp(client, server, 40000, 5353, Query(name, type, flags: 0x0020)); // AD
                foreach (int rcode in new[] { 0, 1, 2, 3, 4, 5, 9 })
                    yield return Udp(server, client, 53, 40000, Response(name, type, rcode));
                yield return Udp(server, client, 53, 40000, Response(name, type, 0, flags: 0x8580)); // AA
                yield return Udp(server, client, 53, 40000, Response(name, type, 0, flags: 0x8380)); // TC
                yield return Udp(server, client, 53, 40000, Response(name, type, 3, flags: 0x8000, opcode: 4)); // notify, no RA
            }
            yield return Udp(client, server, 40000, 5300, Query("www.example.com", 1)); // not a DNS port
            yield return Udp(client, server, 40000, 53, Query("www.example.com", 1), NcapTransport.Tcp); // TCP: not the dns family
            yield return Udp(client, server, 40000, 53, [.. Query("www.example.com", 1), 0, 0]); // trailing bytes
            yield return Udp(client, server, 40000, 53, Query("www.example.com", 1)[..20]); // cut inside the name
            yield return Udp(server, client, 53, 40000, Response("www.example.com", 1, 0)[..^3]); // cut inside an answer
            yield return Udp(client, server, 40000, 53, [0x12, 0x34, 0x81, 0x83, 0, 1]); // a header cut after the flags
            yield return Udp(client, server, 40000, 53, new DnsMessageBuilder(1, 0x0100, 0, 0).ToArray()); // no question
            yield return Udp(client, server, 40000, 53, new DnsMessageBuilder(1, 0x0100, 1, 0).Question(".", 2).ToArray()); // the root
        }
        foreach (byte type in new byte[] { 0, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 30, 42, 200 })
            foreach (byte code in new byte[] { 0, 1, 3 })
                yield return Icmp(type, code);
    }
}
