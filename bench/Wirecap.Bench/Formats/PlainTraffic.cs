using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;

namespace Wirecap.Bench.Formats;

/// <summary>
/// A capture that tcpdump prints and ncaptool converts at their usual speed, for the print and NCAP jobs
/// (bench/aot-side-by-side.sh): well-formed DNS queries and answers, TCP segments without options on a few
/// connections, UDP to a port no printer decodes, some IPv6 and ARP. The random frames of
/// <c>--write-traffic</c> are no use there: their random TCP options and DNS payloads cost tcpdump minutes.
/// </summary>
public static class PlainTraffic
{
    private static readonly byte[] Client = [0x02, 0, 0, 0, 0, 1], Router = [0x02, 0, 0, 0, 0, 2];

    public static void Write(string path, int count)
    {
        var random = new Random(2026);
        using var writer = CaptureWriter.Create(path, CaptureFormat.Pcap);
        long timestamp = 1_700_000_000_000_000_000;
        uint sequence = 1;
        for (int i = 0; i < count; i++)
        {
            timestamp += random.Next(10_000, 200_000);
            writer.Write(Frame(random, i, ref sequence), timestamp);
        }
    }

    private static byte[] Frame(Random random, int i, ref uint sequence)
    {
        byte host = (byte)(1 + i % 200);
        byte[] local = [192, 168, 1, host], server = [10, 0, (byte)(i % 7), 10];
        switch (random.Next(20))
        {
            case < 4: // a DNS query and, as often, its answer
                return Ip(local, [192, 168, 1, 1], IpProtocols.Udp,
                    FrameBuilder.Udp((ushort)(30000 + i % 20000), 53, DnsMessages.Query((ushort)i, $"host{i % 5000}.example.com", 1)));
            case < 8:
                return Ip([192, 168, 1, 1], local, IpProtocols.Udp,
                    FrameBuilder.Udp(53, (ushort)(30000 + i % 20000), DnsMessages.Answer((ushort)i, $"host{i % 5000}.example.com", 1, $"10.0.{i % 7}.10")));
            case < 16: // TCP both ways on a web connection, data or a bare ACK
            {
                bool toServer = random.Next(2) == 0;
                var payload = new byte[random.Next(3) == 0 ? 0 : random.Next(1, 1400)];
                random.NextBytes(payload);
                var flags = payload.Length == 0 ? TcpFlags.Ack : TcpFlags.Ack | TcpFlags.Psh;
                var segment = FrameBuilder.Tcp(toServer ? (ushort)(40000 + host) : (ushort)443, toServer ? (ushort)443 : (ushort)(40000 + host),
                    sequence, sequence + 1000, flags, 502, [], payload);
                sequence += (uint)payload.Length;
                return toServer ? Ip(local, server, IpProtocols.Tcp, segment) : Ip(server, local, IpProtocols.Tcp, segment);
            }
            case < 18: // UDP to a port no printer decodes
            {
                var payload = new byte[random.Next(20, 600)];
                random.NextBytes(payload);
                return Ip(local, server, IpProtocols.Udp, FrameBuilder.Udp((ushort)(50000 + host), 9999, payload));
            }
            case 18: // IPv6 TCP
            {
                byte[] a = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, host], b = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
                var segment = FrameBuilder.Tcp((ushort)(40000 + host), 80, sequence, 1, TcpFlags.Ack, 502, [], []);
                return FrameBuilder.Ethernet(Client, Router, EtherTypes.IPv6, FrameBuilder.Ipv6(a, b, IpProtocols.Tcp, segment), pad: false);
            }
            default:
                return FrameBuilder.Ethernet(Client, Wirecap.Testing.SampleFrames.Broadcast, EtherTypes.Arp,
                    FrameBuilder.Arp(1, Client, local, new byte[6], [192, 168, 1, 1]), pad: true);
        }
    }

    private static byte[] Ip(byte[] source, byte[] destination, byte protocol, byte[] payload) =>
        FrameBuilder.Ethernet(Client, Router, EtherTypes.IPv4, FrameBuilder.Ipv4(source, destination, protocol, payload, id: 1), pad: true);
}
