using System.Net;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using Wirecap.Tests.Decoding;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Ncap;

public class NcapFilterTests
{
    private static readonly byte[] Client = IPAddress.Parse("192.0.2.10").GetAddressBytes();
    private static readonly byte[] Server = IPAddress.Parse("192.0.2.53").GetAddressBytes();

    private static byte[] Query(string name = "www.example.com", ushort type = 1, int opcode = 0) =>
        new DnsMessageBuilder(7, (ushort)(0x0100 | opcode << 11), 1, 0).Question(name, type).ToArray();

    private static byte[] Response(int rcode, ushort extraFlags = 0) =>
        new DnsMessageBuilder(7, (ushort)(0x8180 | extraFlags | rcode), 1, 0).Question("www.example.com", 1).ToArray();

    private static bool Udp(NcapFilter f, byte[] payload, bool fromClient = true, ushort serverPort = 53) => f.Matches(new NcapRecord
    {
        Network = NcapNetwork.IPv4,
        Source = fromClient ? Client : Server,
        Destination = fromClient ? Server : Client,
        Transport = NcapTransport.Udp,
        SourcePort = fromClient ? (ushort)40000 : serverPort,
        DestinationPort = fromClient ? serverPort : (ushort)40000,
        Payload = payload,
    });

    private static bool Icmp(NcapFilter f, byte type, byte code = 0, bool ipv6 = false) => f.Matches(new NcapRecord
    {
        Network = ipv6 ? NcapNetwork.IPv6 : NcapNetwork.IPv4,
        Source = ipv6 ? IPAddress.IPv6Loopback.GetAddressBytes() : Client,
        Destination = ipv6 ? IPAddress.IPv6Loopback.GetAddressBytes() : Server,
        Transport = NcapTransport.Icmp,
        IcmpType = type,
        IcmpCode = code,
    });

    [Test]
    public void EmptyFilterAcceptsEverything()
    {
        Assert.That(Udp(NcapFilter.Parse("  "), []), Is.True);
        Assert.That(NcapFilter.Parse("").KernelExpression, Is.Null);
    }

    [Test]
    public void DnsFamilyIsUdpOnTheDnsPorts()
    {
        var dns = NcapFilter.Parse("dns");
        Assert.That(Udp(dns, Query()), Is.True);
        Assert.That(Udp(dns, Response(0), fromClient: false, serverPort: 5353), Is.True);
        Assert.That(Udp(dns, Query(), serverPort: 5300), Is.False);
        Assert.That(Icmp(dns, 8), Is.False);
    }

    [Test]
    public void FlagsOpcodeAndRcodeTerms()
    {
        Assert.That(Udp(NcapFilter.Parse("dns flags=qr,ra"), Response(0), false), Is.True);
        Assert.That(Udp(NcapFilter.Parse("dns flags=qr,aa"), Response(0), false), Is.True, "any of the flags, as ncaptool");
        Assert.That(Udp(NcapFilter.Parse("dns flags=aa,tc"), Response(0), false), Is.False);
        Assert.That(Udp(NcapFilter.Parse("dns flags#qr"), Query()), Is.True);
        Assert.That(Udp(NcapFilter.Parse("dns flags#qr,aa"), Response(0, extraFlags: 0x0400), false), Is.False);

        Assert.That(Udp(NcapFilter.Parse("dns opcode=notify,update"), Query(opcode: 4)), Is.True);
        Assert.That(Udp(NcapFilter.Parse("dns opcode=q"), Query(opcode: 4)), Is.False, "'q' abbreviates query");
        Assert.That(Udp(NcapFilter.Parse("dns opcode#query"), Query(opcode: 5)), Is.True);

        var nxdomain = NcapFilter.Parse("dns rcode=nxdomain,servfail");
        Assert.That(Udp(nxdomain, Response(3), false), Is.True);
        Assert.That(Udp(nxdomain, Response(0), false), Is.False);
        Assert.That(Udp(nxdomain, Query()), Is.False, "rcode is only checked on responses: a query matches no rcode term");
        Assert.That(Udp(NcapFilter.Parse("dns rcode#nxdomain"), Query()), Is.False);
        Assert.That(Udp(NcapFilter.Parse("dns rcode#0"), Response(0), false), Is.False);
        Assert.That(Udp(NcapFilter.Parse("dns rcode=5"), Response(5), false), Is.True);
    }

    [Test]
    public void InitiatorIsTheSourceAndTargetTheDestination()
    {
        var initiator = NcapFilter.Parse("dns initiator=192.0.2.10");
        Assert.That(Udp(initiator, Query(), fromClient: true), Is.True);
        Assert.That(Udp(initiator, Response(0), fromClient: false), Is.False, "the response is sent by the server, as ncaptool sees it");
        var target = NcapFilter.Parse("dns target=192.0.2.53,2001:db8::1");
        Assert.That(Udp(target, Query()), Is.True);
        Assert.That(Udp(target, Response(0), false), Is.False);
        Assert.That(Udp(NcapFilter.Parse("dns target#192.0.2.53"), Query()), Is.False);
    }

    [Test]
    public void QnameQtypeAndRegexLookInsideTheMessage()
    {
        Assert.That(Udp(NcapFilter.Parse("dns qname=WWW.example.com"), Query()), Is.True);
        Assert.That(Udp(NcapFilter.Parse("dns qname=www.example.com."), Query()), Is.False, "libbind's name has no trailing dot");
        Assert.That(Udp(NcapFilter.Parse("dns qname=www.example.com"), [.. Query(), 0]), Is.False, "a payload with trailing bytes does not parse");
        Assert.That(Udp(NcapFilter.Parse("dns qname=example.com"), Query()), Is.False);
        Assert.That(Udp(NcapFilter.Parse("dns qtype=aaaa"), Query(type: 28)), Is.True);
        Assert.That(Udp(NcapFilter.Parse("dns qtype=A"), Query(type: 28)), Is.False);
        Assert.That(Udp(NcapFilter.Parse("dns regex=^www\\.EXAMPLE/i"), Query()), Is.True);
        Assert.That(Udp(NcapFilter.Parse("dns regex=^www\\.example\\.com$"), Response(3), false), Is.True, "the question's name, without the dot");
        Assert.That(Udp(NcapFilter.Parse("dns regex=NXDOMAIN"), Response(3), false), Is.False, "the header is not an entry");
        Assert.That(Udp(NcapFilter.Parse("dns regex#example"), Response(3), false), Is.False);
        Assert.That(Udp(NcapFilter.Parse("dns qname=www.example.com"), [1, 2, 3]), Is.False, "short payloads never match");
    }

    [Test]
    public void IcmpNamesMeanTheSameMessageOnIPv4AndIPv6()
    {
        var echo = NcapFilter.Parse("icmp type=echorequest,unreach code=0");
        Assert.That(Icmp(echo, 8), Is.True);
        Assert.That(Icmp(echo, 128, ipv6: true), Is.True);
        Assert.That(Icmp(echo, 3, code: 1), Is.False);
        Assert.That(Icmp(NcapFilter.Parse("icmp type#8"), 0), Is.True);
        Assert.That(Icmp(NcapFilter.Parse("icmp type=200"), 200), Is.True);
        var echo2 = NcapFilter.Parse("icmp type=echo");
        Assert.That((Icmp(echo2, 0), Icmp(echo2, 8), Icmp(echo2, 3), Icmp(echo2, 129, ipv6: true)), Is.EqualTo((true, true, false, true)), "'echo' abbreviates both echo types");
        Assert.That(Icmp(NcapFilter.Parse("icmp type=0x0b"), 11), Is.True, "numbers as C reads them");
        Assert.That(Icmp(NcapFilter.Parse("icmp type=010"), 8), Is.True);
        Assert.That(Icmp(NcapFilter.Parse("icmp type#300"), 8), Is.True);
    }

    [Test]
    public void FamiliesAreOredAndTermsAnded()
    {
        var f = NcapFilter.Parse("dns rcode=nxdomain flags=qr icmp type=unreach");
        Assert.That(Udp(f, Response(3), false), Is.True);
        Assert.That(Udp(f, Query()), Is.False, "flags=qr fails on a query");
        Assert.That(Icmp(f, 3), Is.True);
        Assert.That(Icmp(f, 8), Is.False);
    }

    [TestCase("udp", 0, "expected a filter family")]
    [TestCase("dns flags", 4, "expected a filter family")]
    [TestCase("flags=qr", 0, "a term needs a filter family")]
    [TestCase("dns zzz=1", 4, "unknown dns term 'zzz'")]
    [TestCase("dns flags=q", 10, "unknown DNS flag 'q'")]
    [TestCase("icmp type=3,x", 12, "unknown ICMP type 'x'")]
    [TestCase("icmp code=one", 10, "invalid ICMP code 'one'")]
    [TestCase("dns flags=qr,xx", 13, "unknown DNS flag 'xx'")]
    [TestCase("dns rcode=16", 10, "invalid numeric rcode '16'")]
    [TestCase("dns initiator=1.2.3.4,nope", 22, "unparseable address 'nope'")]
    [TestCase("dns qtype=BOGUS", 10, "unknown qtype")]
    [TestCase("dns regex=(/i", 10, "bad regex")]
    [TestCase("icmp type=ping", 10, "unknown ICMP type 'ping'")]
    [TestCase("dns qname#x", 4, "takes only '='")]
    public void BadSpecificationsNameTheColumn(string spec, int position, string message)
    {
        var e = Assert.Throws<NcapFilterException>(() => NcapFilter.Parse(spec))!;
        Assert.That(e.Position, Is.EqualTo(position));
        Assert.That(e.Message, Does.Contain(message).And.Contain($"column {position + 1}"));
    }

    [TestCase("dns")]
    [TestCase("dns opcode=query,notify rcode#nxdomain initiator=192.0.2.1,2001:db8::1")]
    [TestCase("dns rcode=servfail flags=qr icmp type=echorequest,traceroute code#3")]
    [TestCase("icmp type=sourcequench")]
    [TestCase("dns target#192.0.2.53 icmp type=300")]
    public void KernelExpressionsAreValidPcapFilters(string spec)
    {
        Tool.Require("tcpdump");
        var expression = NcapFilter.Parse(spec).KernelExpression!;
        var (code, _, stderr) = Tool.Run("tcpdump", $"-d -y EN10MB \"{expression}\"");
        Assert.That(code, Is.Zero, $"tcpdump rejected '{expression}': {stderr}");
    }
}
