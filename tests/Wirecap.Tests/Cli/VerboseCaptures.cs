using System.Buffers.Binary;
using System.Net;
using System.Text;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Tests.Decoding;

namespace Wirecap.Tests.Cli;

/// <summary>Ethernet frames for what tcpdump's -v, -X, -A and -S show: IPv4 options, bad and missing checksums,
/// ECN and fragment flags, an ICMP error quoting a datagram, IPv6 class, flow label and hop-by-hop options, router
/// discovery with its options, DNS with every section, EDNS options and TTLs, TCP with text and a wrong checksum.</summary>
internal static class VerboseCaptures
{
    private const string A = "02:00:00:00:00:0a", B = "02:00:00:00:00:0b";

    public static void Write(string path)
    {
        var frames = Frames().ToList();
        using var writer = CaptureWriter.Create(path, CaptureFormat.Pcap, new CaptureWriterOptions { LinkType = LinkType.Ethernet, SnapLength = 65535 });
        for (int i = 0; i < frames.Count; i++) writer.Write(frames[i], 1_700_000_000_000_000_000 + i * 1_000_123L);
    }

    private static IEnumerable<byte[]> Frames()
    {
        byte[] v4a = Address("192.0.2.10"), v4b = Address("192.0.2.1");
        // TCP: a handshake, text, a segment whose checksum is wrong.
        yield return V4Tcp(Tcp(49712, 8000, 1000, 0, TcpFlags.Syn, []));
        yield return V4Tcp(Tcp(8000, 49712, 5000, 1001, TcpFlags.Syn | TcpFlags.Ack, []), reverse: true);
        yield return V4Tcp(Tcp(49712, 8000, 1001, 5001, TcpFlags.Ack | TcpFlags.Psh, "GET / HTTP/1.0\r\nHost: example\r\n\r\n"u8));
        var bad = V4Tcp(Tcp(8000, 49712, 5001, 1035, TcpFlags.Ack | TcpFlags.Psh, "HTTP/1.0 200 OK\r\n\tx\x01\x7f"u8), reverse: true);
        bad[^1] ^= 0xff;
        yield return bad;
        // IPv4 options (router alert, record route), ECN, a first fragment, a wrong header checksum.
        byte[] routerAlert = [0x94, 0x04, 0x00, 0x00], recordRoute = [0x07, 0x07, 0x04, 192, 0, 2, 99, 0x00];
        yield return Ether(FrameBuilder.Ipv4(v4a, v4b, IpProtocols.Udp, Udp(v4a, v4b, 1000, 2000, new byte[12]), id: 7, tos: 0x02, options: routerAlert));
        yield return Ether(FrameBuilder.Ipv4(v4a, v4b, IpProtocols.Udp, Udp(v4a, v4b, 1000, 2000, new byte[4]), id: 8, tos: 0xb9, options: recordRoute));
        yield return Ether(FrameBuilder.Ipv4(v4a, v4b, IpProtocols.Udp, Udp(v4a, v4b, 1000, 2000, new byte[32]), id: 9, fragment: 0x2000));
        var badHeader = FrameBuilder.Ipv4(v4a, v4b, IpProtocols.Udp, Udp(v4a, v4b, 1000, 2000, new byte[4]), id: 10, ttl: 0);
        badHeader[10] ^= 0x5a;
        yield return Ether(badHeader);
        // UDP without a checksum, and with a wrong one.
        yield return Ether(FrameBuilder.Ipv4(v4a, v4b, IpProtocols.Udp, FrameBuilder.Udp(1000, 2000, new byte[6]), id: 11));
        var wrongUdp = Udp(v4a, v4b, 1000, 2000, new byte[6]);
        wrongUdp[6] ^= 0x11;
        yield return Ether(FrameBuilder.Ipv4(v4a, v4b, IpProtocols.Udp, wrongUdp, id: 12));
        // ICMP: port unreachable quoting a DNS query; an echo request with a wrong checksum.
        var quoted = FrameBuilder.Ipv4(v4b, v4a, IpProtocols.Udp, Udp(v4b, v4a, 53000, 53, DnsQuery()), id: 77);
        yield return Ether(FrameBuilder.Ip("192.0.2.10", "192.0.2.1", IpProtocols.Icmp, FrameBuilder.Icmp(3, 3, 0, 0, quoted.AsSpan(0, 28)), id: 13));
        var echo = FrameBuilder.Icmp(8, 0, 1, 2, new byte[16]);
        BinaryPrimitives.WriteUInt16BigEndian(echo.AsSpan(2), 0x1234);
        yield return Ether(FrameBuilder.Ipv4(v4a, v4b, IpProtocols.Icmp, echo, id: 14));
        // DNS: a response with every section, SOA, EDNS cookie and padding, TTLs from seconds to weeks.
        yield return Ether(FrameBuilder.Ip("192.0.2.1", "192.0.2.10", IpProtocols.Udp, FrameBuilder.Udp(53, 53000, DnsResponse()), id: 15));
        yield return Ether(FrameBuilder.Ip("192.0.2.10", "192.0.2.1", IpProtocols.Udp, FrameBuilder.Udp(53000, 53, DnsQuery()), id: 16));
        // IPv6: class and flow label; hop-by-hop options; router solicitation and advertisement; echo.
        byte[] v6a = Address("fe80::a"), v6b = Address("ff02::2"), v6c = Address("2001:db8::1");
        var flow = FrameBuilder.Ip("2001:db8::a", "2001:db8::1", IpProtocols.Udp, FrameBuilder.Udp(1000, 2000, new byte[3]));
        BinaryPrimitives.WriteUInt32BigEndian(flow, 0x6b812345);
        yield return Ether(flow, EtherTypes.IPv6);
        byte[] hopByHop = [IpProtocols.Udp, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00];
        var hopUdp = Udp(v6a, v6c, 1000, 2000, new byte[2]);
        yield return Ether(FrameBuilder.Ipv6(v6a, v6c, IpProtocols.HopByHop, [.. hopByHop, .. hopUdp]), EtherTypes.IPv6);
        yield return Ether(Icmpv6(v6a, v6b, [133, 0, 0, 0, 0, 0, 0, 0, 1, 1, .. FrameBuilder.Mac(A)], 255), EtherTypes.IPv6);
        byte[] prefix = [3, 4, 64, 0xc0, 0, 0, 0x0e, 0x10, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, .. v6c];
        byte[] advertisement = [134, 0, 0, 0, 64, 0x48, 0x07, 0x08, 0, 0, 0x75, 0x30, 0, 0, 0x03, 0xe8,
            1, 1, .. FrameBuilder.Mac(B), 5, 1, 0, 0, 0, 0, 0x05, 0xdc, .. prefix];
        yield return Ether(Icmpv6(Address("fe80::b"), Address("ff02::1"), advertisement, 255), EtherTypes.IPv6);
        yield return Ether(Icmpv6(v6a, v6c, [129, 0, 0, 0, 0, 9, 0, 1, 1, 2, 3, 4], 64), EtherTypes.IPv6);
        // ARP.
        yield return FrameBuilder.Ethernet(A, "ff:ff:ff:ff:ff:ff", EtherTypes.Arp, FrameBuilder.Arp(1, A, "192.0.2.10", "00:00:00:00:00:00", "192.0.2.1"));
    }

    private static byte[] Address(string text) => IPAddress.Parse(text).GetAddressBytes();

    private static byte[] Ether(byte[] packet, ushort etherType = EtherTypes.IPv4) => FrameBuilder.Ethernet(A, B, etherType, packet);

    private static byte[] V4Tcp(byte[] segment, bool reverse = false) =>
        Ether(reverse ? FrameBuilder.Ip("192.0.2.1", "192.0.2.10", IpProtocols.Tcp, segment, id: 3) : FrameBuilder.Ip("192.0.2.10", "192.0.2.1", IpProtocols.Tcp, segment, id: 2));

    private static byte[] Tcp(ushort from, ushort to, uint seq, uint ack, TcpFlags flags, ReadOnlySpan<byte> payload) =>
        FrameBuilder.Tcp(from, to, seq, ack, flags, 64240, [2, 4, 0x05, 0xb4, 1, 1, 4, 2], payload);

    /// <summary>A UDP datagram with its checksum filled in.</summary>
    private static byte[] Udp(byte[] source, byte[] destination, ushort from, ushort to, byte[] payload)
    {
        var udp = FrameBuilder.Udp(from, to, payload);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(6), InternetChecksum.ComputeTransport(source, destination, IpProtocols.Udp, udp));
        return udp;
    }

    private static byte[] Icmpv6(byte[] source, byte[] destination, byte[] message, byte hopLimit)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), InternetChecksum.ComputeTransport(source, destination, IpProtocols.Icmpv6, message));
        return FrameBuilder.Ipv6(source, destination, IpProtocols.Icmpv6, message, hopLimit);
    }

    private static byte[] DnsQuery() => new DnsMessageBuilder(0x1234, 0x0100, 1, 0, 0, 1).Question("example.com", 1)
        .Raw(0).Word(41).Word(1232).DoubleWord(0x8000).Word(12).Word(10).Word(8).Raw(1, 2, 3, 4, 5, 6, 7, 8).ToArray();

    private static byte[] DnsResponse()
    {
        var soa = new List<byte>();
        soa.AddRange(DnsMessageBuilder.EncodeName("ns.example.com"));
        soa.AddRange(DnsMessageBuilder.EncodeName("admin.example.com"));
        foreach (uint n in (uint[])[2026120201, 7200, 3600, 1209600, 300])
        {
            var word = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(word, n);
            soa.AddRange(word);
        }
        return new DnsMessageBuilder(0x1234, 0x8580, 1, 2, 1, 2).Question("example.com", 1)
            .Record("example.com", 1, 3600, [192, 0, 2, 80])
            .Record("example.com", 1, 93784, [192, 0, 2, 81])
            .Record("example.com", 6, 1209601, [.. soa])
            .Record("ns.example.com", 28, 0, Address("2001:db8::53"))
            .Raw(0).Word(41).Word(1232).DoubleWord(0).Word(28).Word(10).Word(16).Raw(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
            .Word(12).Word(4).Raw(0, 0, 0, 0).ToArray();
    }

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
