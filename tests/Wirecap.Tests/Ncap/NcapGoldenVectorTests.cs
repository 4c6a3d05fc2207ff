using System.Net;
using Wirecap.Formats.Ncap;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.NcapTestData;

namespace Wirecap.Tests.Ncap;

/// <summary>The byte layouts ncaptool 1.9.2 produced (shared/notes/seed-systems.md §1.2).</summary>
public class NcapGoldenVectorTests
{
    private static readonly byte[] DnsQuery = Hex(
        "1234 0100 0001 0000 0000 0000 0765 7861 6d70 6c65 0363 6f6d 0000 0100 01" + "000000");

    [Test]
    public void FileHeaderIsNcapAndVersion42()
    {
        var bytes = WriteStream([]);
        Assert.That(bytes, Is.EqualTo(Hex("4E434150 0000002A")));
    }

    [Test]
    public void UdpIpv4MessageMatchesNcaptool()
    {
        Assert.That(DnsQuery, Has.Length.EqualTo(32));
        var message = new NcapMessage
        {
            Seconds = 1700000000, Nanoseconds = 123456000,
            Source = IPAddress.Parse("10.0.0.1"), Destination = IPAddress.Parse("10.0.0.2"),
            Transport = NcapTransport.Udp, SourcePort = 1111, DestinationPort = 53, Payload = DnsQuery,
        };
        var expected = Hex("00000048 6553f100 075bca00 00000000 00000000 0000 0000 00000020 0a000001 0a000002 0457 0035")
            .Concat(DnsQuery).ToArray();
        Assert.That(Encode(message), Is.EqualTo(expected));
    }

    [Test]
    public void IcmpEchoMessageMatchesNcaptoolIncludingItsTwoExtraPayloadBytes()
    {
        var message = new NcapMessage
        {
            Seconds = 1700000001, Nanoseconds = 123456000,
            Source = IPAddress.Parse("10.0.0.1"), Destination = IPAddress.Parse("10.0.0.2"),
            Transport = NcapTransport.Icmp, IcmpType = 8, IcmpCode = 0,
            Payload = Hex("0077 0001 4142434445464748 0000"),
        };
        var expected = Hex("00000034 6553f101 075bca00 00000000 00000000 0000 0002 0000000e 0a000001 0a000002 08 00 0077 0001 4142434445464748 0000");
        Assert.That(Encode(message), Is.EqualTo(expected));
    }

    [Test]
    public void UdpIpv6MessageHasNetworkType1AndLength0x60()
    {
        var message = new NcapMessage
        {
            Seconds = 1700000000, Nanoseconds = 123456000,
            Source = IPAddress.Parse("2001:db8::1"), Destination = IPAddress.Parse("2001:db8::2"),
            Transport = NcapTransport.Udp, SourcePort = 1111, DestinationPort = 53, Payload = DnsQuery,
        };
        var bytes = Encode(message);
        Assert.That(bytes, Has.Length.EqualTo(0x60));
        Assert.That(bytes[..28], Is.EqualTo(Hex("00000060 6553f100 075bca00 00000000 00000000 0001 0000 00000020")));
        Assert.That(bytes[28..60], Is.EqualTo(message.Source.GetAddressBytes().Concat(message.Destination.GetAddressBytes())));
        Assert.That(bytes[60..64], Is.EqualTo(Hex("0457 0035")));
    }

    [Test]
    public void TcpUnionIsPortsOffsetFlagsAndOnlyTheMessageEndIsPadded()
    {
        var message = new NcapMessage
        {
            Seconds = 1, Nanoseconds = 2, User1 = 3, User2 = 4,
            Source = IPAddress.Parse("192.0.2.1"), Destination = IPAddress.Parse("192.0.2.2"),
            Transport = NcapTransport.Tcp, SourcePort = 80, DestinationPort = 4000, TcpOffset = 0x01020304,
            TcpFlags = NcapTcpFlags.FirstSegment | NcapTcpFlags.ChecksumFailed, Payload = new byte[] { 0xAA },
        };
        var expected = Hex("00000034 00000001 00000002 00000003 00000004 0000 0001 00000001 c0000201 c0000202 0050 0fa0 01020304 00000009 aa 000000");
        Assert.That(Encode(message), Is.EqualTo(expected));
    }

    [Test]
    public void ReadingTheGoldenVectorsGivesTheMessagesBack()
    {
        var stream = Hex("4E434150 0000002A")
            .Concat(Hex("00000034 6553f101 075bca00 00000000 00000000 0000 0002 0000000e 0a000001 0a000002 08 00 0077 0001 4142434445464748 0000"))
            .ToArray();
        var messages = ReadStream(new MemoryStream(stream));
        Assert.That(messages, Has.Count.EqualTo(1));
        var m = messages[0];
        Assert.Multiple(() =>
        {
            Assert.That(m.Seconds, Is.EqualTo(1700000001));
            Assert.That(m.Nanoseconds, Is.EqualTo(123456000));
            Assert.That(m.Network, Is.EqualTo(NcapNetwork.IPv4));
            Assert.That(m.Source, Is.EqualTo(IPAddress.Parse("10.0.0.1")));
            Assert.That(m.Transport, Is.EqualTo(NcapTransport.Icmp));
            Assert.That(m.IcmpType, Is.EqualTo(8));
            Assert.That(m.Payload.ToArray(), Is.EqualTo(Hex("0077 0001 4142434445464748 0000")));
        });
    }
}
