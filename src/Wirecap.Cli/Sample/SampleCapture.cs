using System.Buffers.Binary;
using System.Text;
using Wirecap.Decoding;
using Wirecap.Formats;
using static Wirecap.Cli.Sample.FrameBuilder;

namespace Wirecap.Cli.Sample;

/// <summary>The sample capture the repository ships (samples/sample.pcapng): a host resolving a
/// name through its local stub resolver (loopback) and the LAN's DNS server over IPv4 and IPv6,
/// then pinging and talking TCP to the answer. Two interfaces, comments on the section and on a
/// few packets. Made only from documentation address ranges; deterministic, so the committed file
/// can be checked against this code.</summary>
internal static class SampleCapture
{
    private const string HostMac = "02:00:00:00:00:0a", RouterMac = "02:00:00:00:00:01", Broadcast = "ff:ff:ff:ff:ff:ff";
    private const string LoMac = "00:00:00:00:00:00";
    private const string Host = "192.0.2.10", Router = "192.0.2.1", Server = "203.0.113.80";
    private const string Host6 = "2001:db8:1::10", Router6 = "2001:db8:1::1", Server6 = "2001:db8:2::80";
    private const string Stub = "127.0.0.53", Loopback = "127.0.0.1";
    private static readonly long Start = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;

    public static void Write(string path)
    {
        using var stream = path == "-" ? Console.OpenStandardOutput() : File.Create(path);
        Write(stream);
    }

    public static void Write(Stream stream)
    {
        using var writer = CaptureWriter.Create(stream, CaptureFormat.PcapNg, new CaptureWriterOptions
        {
            LeaveOpen = true,
            Application = "wirecap --make-sample",
            SectionComments = ["Sample capture made by Wirecap's own code (wirecap --make-sample): DNS over UDP/IPv4 and IPv6, ICMP echo, ARP, a TCP connection."],
            Interfaces =
            [
                new CaptureInterface { LinkType = LinkType.Ethernet, SnapLength = 262144, Name = "eth0", Description = "LAN" },
                new CaptureInterface { LinkType = LinkType.Ethernet, SnapLength = 262144, Name = "lo", Description = "loopback" },
            ],
        });
        foreach (var (micros, iface, frame, comment) in Packets())
        {
            writer.Write(new Packet(frame, Start + micros * 1000, frame.Length, LinkType.Ethernet, iface)
            {
                Comments = comment is null ? [] : [comment],
            });
        }
    }

    private static IEnumerable<(long Micros, int Interface, byte[] Frame, string? Comment)> Packets()
    {
        const int Eth = 0, Lo = 1;
        // The application asks the local stub resolver...
        yield return (1, Lo, Lo4(Loopback, Stub, FrameBuilder.Udp(51820, 53, DnsMessages.Query(0x3a1f, "example.com", 1))),
            "application → stub resolver on loopback");
        // ...which needs the router's MAC address first...
        yield return (112, Eth, Ethernet(HostMac, Broadcast, EtherTypes.Arp, Arp(1, HostMac, Host, LoMac, Router)), null);
        yield return (398, Eth, Ethernet(RouterMac, HostMac, EtherTypes.Arp, Arp(2, RouterMac, Router, HostMac, Host)), null);
        // ...then asks the LAN's DNS server over IPv4 and IPv6.
        yield return (455, Eth, Eth4(IpProtocols.Udp, Host, Router, FrameBuilder.Udp(40152, 53, DnsMessages.Query(0xb7c4, "example.com", 1)), 0x4d21),
            "DNS query over IPv4");
        yield return (502, Eth, Eth6(IpProtocols.Udp, Host6, Router6, FrameBuilder.Udp(40153, 53, DnsMessages.Query(0x51e0, "example.com", 28))),
            "DNS query over IPv6");
        yield return (8_731, Eth, Eth4(IpProtocols.Udp, Router, Host, FrameBuilder.Udp(53, 40152, DnsMessages.Answer(0xb7c4, "example.com", 1, Server)), 0x0000, fromRouter: true), null);
        yield return (8_902, Eth, Eth6(IpProtocols.Udp, Router6, Host6, FrameBuilder.Udp(53, 40153, DnsMessages.Answer(0x51e0, "example.com", 28, Server6)), fromRouter: true), null);
        yield return (9_015, Lo, Lo4(Stub, Loopback, FrameBuilder.Udp(53, 51820, DnsMessages.Answer(0x3a1f, "example.com", 1, Server))), null);

        // ping -c 2 203.0.113.80
        var pingData = Encoding.ASCII.GetBytes("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST");
        yield return (1_000_000, Eth, Eth4(IpProtocols.Icmp, Host, Server, FrameBuilder.Icmp(8, 0, 0x1c2b, 1, pingData), 0x8a01), "ICMP echo");
        yield return (1_012_480, Eth, Eth4(IpProtocols.Icmp, Server, Host, FrameBuilder.Icmp(0, 0, 0x1c2b, 1, pingData), 0x13f2, fromRouter: true), null);
        yield return (2_000_214, Eth, Eth4(IpProtocols.Icmp, Host, Server, FrameBuilder.Icmp(8, 0, 0x1c2b, 2, pingData), 0x8a5c), null);
        yield return (2_011_907, Eth, Eth4(IpProtocols.Icmp, Server, Host, FrameBuilder.Icmp(0, 0, 0x1c2b, 2, pingData), 0x1410, fromRouter: true), null);

        // A TCP connection to port 5001: handshake, a request, a response, and both FINs.
        const uint clientIsn = 0x6b8b4567, serverIsn = 0x327b23c6;
        var request = Encoding.ASCII.GetBytes("HELLO sample\r\n");
        var response = Encoding.ASCII.GetBytes("WELCOME to the Capture sample server; this is the response.\r\n");
        yield return (3_000_000, Eth, Tcp4(true, clientIsn, 0, TcpFlags.Syn, 64240, SynOptions(1000, 0), []), "TCP handshake");
        yield return (3_010_311, Eth, Tcp4(false, serverIsn, clientIsn + 1, TcpFlags.Syn | TcpFlags.Ack, 65160, SynOptions(7000, 1000), []), null);
        yield return (3_010_402, Eth, Tcp4(true, clientIsn + 1, serverIsn + 1, TcpFlags.Ack, 502, Timestamps(1010, 7000), []), null);
        yield return (3_010_655, Eth, Tcp4(true, clientIsn + 1, serverIsn + 1, TcpFlags.Psh | TcpFlags.Ack, 502, Timestamps(1010, 7000), request), null);
        yield return (3_020_930, Eth, Tcp4(false, serverIsn + 1, clientIsn + 1 + (uint)request.Length, TcpFlags.Ack, 509, Timestamps(7010, 1010), []), null);
        yield return (3_021_118, Eth, Tcp4(false, serverIsn + 1, clientIsn + 1 + (uint)request.Length, TcpFlags.Psh | TcpFlags.Ack, 509, Timestamps(7010, 1010), response), null);
        yield return (3_021_201, Eth, Tcp4(true, clientIsn + 1 + (uint)request.Length, serverIsn + 1 + (uint)response.Length, TcpFlags.Ack, 501, Timestamps(1021, 7010), []), null);
        yield return (3_021_550, Eth, Tcp4(true, clientIsn + 1 + (uint)request.Length, serverIsn + 1 + (uint)response.Length, TcpFlags.Fin | TcpFlags.Ack, 501, Timestamps(1021, 7010), []), "client closes");
        yield return (3_031_774, Eth, Tcp4(false, serverIsn + 1 + (uint)response.Length, clientIsn + 2 + (uint)request.Length, TcpFlags.Fin | TcpFlags.Ack, 509, Timestamps(7021, 1021), []), null);
        yield return (3_031_840, Eth, Tcp4(true, clientIsn + 2 + (uint)request.Length, serverIsn + 2 + (uint)response.Length, TcpFlags.Ack, 501, Timestamps(1031, 7021), []), null);

        // IPv6 neighbour discovery, then a ping over IPv6.
        yield return (4_000_000, Eth, Eth6(IpProtocols.Icmpv6, Host6, "ff02::1:ff00:1", Ndp(135, Router6), multicastMac: "33:33:ff:00:00:01"), null);
        yield return (4_000_377, Eth, Eth6(IpProtocols.Icmpv6, Router6, Host6, Ndp(136, Router6), fromRouter: true), null);
        yield return (4_000_420, Eth, Eth6(IpProtocols.Icmpv6, Host6, Server6, FrameBuilder.Icmp(128, 0, 0x2f01, 1, pingData)), "ICMPv6 echo");
        yield return (4_013_002, Eth, Eth6(IpProtocols.Icmpv6, Server6, Host6, FrameBuilder.Icmp(129, 0, 0x2f01, 1, pingData), fromRouter: true), null);
    }

    private static byte[] Eth4(byte protocol, string source, string destination, byte[] segment, ushort id, bool fromRouter = false) => Ethernet(fromRouter ? RouterMac : HostMac, fromRouter ? HostMac : RouterMac, EtherTypes.IPv4, Ip(source, destination, protocol, segment, id));

    private static byte[] Eth6(byte protocol, string source, string destination, byte[] segment, bool fromRouter = false, string? multicastMac = null)
    {
        byte hopLimit = protocol == IpProtocols.Icmpv6 && segment[0] is 135 or 136 ? (byte)255 : (byte)64;
        return Ethernet(fromRouter ? RouterMac : HostMac, multicastMac ?? (fromRouter ? HostMac : RouterMac), EtherTypes.IPv6,
            Ip(source, destination, protocol, segment, hopLimit: hopLimit));
    }

    private static byte[] Lo4(string source, string destination, byte[] udp) =>
        Ethernet(LoMac, LoMac, EtherTypes.IPv4, Ip(source, destination, IpProtocols.Udp, udp, 0x7a10));

    private static byte[] Tcp4(bool fromClient, uint seq, uint ack, TcpFlags flags, ushort window, byte[] options, byte[] payload)
    {
        var segment = FrameBuilder.Tcp(fromClient ? (ushort)49712 : (ushort)5001, fromClient ? (ushort)5001 : (ushort)49712, seq, ack, flags, window, options, payload);
        return Ethernet(fromClient ? HostMac : RouterMac, fromClient ? RouterMac : HostMac, EtherTypes.IPv4,
            Ip(fromClient ? Host : Server, fromClient ? Server : Host, IpProtocols.Tcp, segment, fromClient ? (ushort)0x5e10 : (ushort)0));
    }

    private static byte[] SynOptions(uint tsValue, uint tsEcr)
    {
        var options = new byte[20];
        options[0] = 2; options[1] = 4; BinaryPrimitives.WriteUInt16BigEndian(options.AsSpan(2), 1460);
        options[4] = 4; options[5] = 2;
        options[6] = 8; options[7] = 10;
        BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(8), tsValue);
        BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(12), tsEcr);
        options[16] = 1;
        options[17] = 3; options[18] = 3; options[19] = 7;
        return options;
    }

    private static byte[] Timestamps(uint tsValue, uint tsEcr)
    {
        var options = new byte[12];
        options[0] = 1; options[1] = 1; options[2] = 8; options[3] = 10;
        BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(4), tsValue);
        BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(8), tsEcr);
        return options;
    }

    private static byte[] Ndp(byte type, string target)
    {
        var message = new byte[32];
        message[0] = type;
        if (type == 136) message[4] = 0x60; // solicited, override
        System.Net.IPAddress.Parse(target).GetAddressBytes().CopyTo(message, 8);
        message[24] = type == 135 ? (byte)1 : (byte)2; // source / target link-layer address option
        message[25] = 1;
        Mac(type == 135 ? HostMac : RouterMac).CopyTo(message, 26);
        return message;
    }
}
