using System.Buffers.Binary;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;

namespace Wirecap.Testing;

/// <summary>
/// Builds plausible Ethernet frames (IPv4/IPv6 with TCP, UDP, ICMP; ARP; other EtherTypes) from a
/// seeded random source, so tests and benchmarks see the same realistic traffic every run; the
/// headers are written by <see cref="FrameBuilder"/>. Shared by the test project and the benchmark
/// project (linked source, with FrameBuilder's).
/// </summary>
public static class SampleFrames
{
    public static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    /// <summary>The kinds of frames in the mix, roughly as common as on a busy LAN.</summary>
    public enum Kind { Ipv4Tcp, Ipv4Udp, Ipv4Icmp, Ipv6Tcp, Ipv6Udp, Arp, Other }

    private static readonly (Kind Kind, int Weight)[] Mix =
    [
        (Kind.Ipv4Tcp, 45), (Kind.Ipv4Udp, 20), (Kind.Ipv4Icmp, 3), (Kind.Ipv6Tcp, 15), (Kind.Ipv6Udp, 10), (Kind.Arp, 5), (Kind.Other, 2),
    ];

    private static readonly ushort[] CommonPorts = [80, 443, 53, 123, 22, 8080, 8443, 25, 5353, 67];

    /// <summary>A frame of a kind picked from the mix.</summary>
    public static byte[] Next(Random random, byte[]? destination = null, byte[]? source = null)
    {
        int roll = random.Next(Mix.Sum(m => m.Weight));
        foreach (var (kind, weight) in Mix)
        {
            if (roll < weight) return Build(random, kind, destination, source);
            roll -= weight;
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>A frame of the given kind with random addresses, ports and payload.</summary>
    public static byte[] Build(Random random, Kind kind, byte[]? destination = null, byte[]? source = null)
    {
        destination ??= RandomMac(random);
        source ??= RandomMac(random);
        switch (kind)
        {
            case Kind.Ipv4Tcp: return FrameBuilder.Ethernet(source, destination, EtherTypes.IPv4, Ipv4(random, IpProtocols.Tcp, Tcp(random)), pad: false);
            case Kind.Ipv4Udp: return FrameBuilder.Ethernet(source, destination, EtherTypes.IPv4, Ipv4(random, IpProtocols.Udp, Udp(random)), pad: false);
            case Kind.Ipv4Icmp: return FrameBuilder.Ethernet(source, destination, EtherTypes.IPv4, Ipv4(random, IpProtocols.Icmp, Payload(random, 8 + random.Next(56))), pad: false);
            case Kind.Ipv6Tcp: return FrameBuilder.Ethernet(source, destination, EtherTypes.IPv6, Ipv6(random, IpProtocols.Tcp, Tcp(random)), pad: false);
            case Kind.Ipv6Udp: return FrameBuilder.Ethernet(source, destination, EtherTypes.IPv6, Ipv6(random, IpProtocols.Udp, Udp(random)), pad: false);
            case Kind.Arp:
                var operation = (ushort)(1 + random.Next(2));
                var senderMac = RandomMac(random);
                var senderIp = Ipv4Address(random);
                return FrameBuilder.Ethernet(source, destination, EtherTypes.Arp,
                    FrameBuilder.Arp(operation, senderMac, senderIp, new byte[6], Ipv4Address(random)), pad: false);
            default:
                var etherType = (ushort)random.Next(0x0600, 0x8100);
                return FrameBuilder.Ethernet(source, destination, etherType, Payload(random, random.Next(46, 120)), pad: false);
        }
    }

    public static byte[] RandomMac(Random random)
    {
        var mac = Payload(random, 6);
        mac[0] = (byte)(mac[0] & 0xfe | 0x02); // locally administered unicast
        return mac;
    }

    private static byte[] Ipv4Address(Random random) => random.Next(4) switch
    {
        0 => [10, (byte)random.Next(4), (byte)random.Next(256), (byte)random.Next(1, 255)],
        1 => [192, 168, (byte)random.Next(4), (byte)random.Next(1, 255)],
        2 => [10, 1, 2, 3],
        _ => Payload(random, 4),
    };

    private static byte[] Ipv4(Random random, byte protocol, byte[] payload)
    {
        int optionWords = random.Next(10) == 0 ? random.Next(1, 4) : 0;
        var id = (ushort)random.Next(65536);
        // Mostly unfragmented; sometimes a later fragment, which port filters must skip.
        var fragment = random.Next(20) == 0 ? (ushort)random.Next(1, 0x1fff) : (ushort)0;
        var source = Ipv4Address(random);
        var destination = Ipv4Address(random);
        return FrameBuilder.Ipv4(source, destination, protocol, payload, id, fragment: fragment, options: new byte[4 * optionWords]);
    }

    private static byte[] Ipv6(Random random, byte nextHeader, byte[] payload)
    {
        byte[] source = [0xfd, .. Payload(random, 15)];
        byte[] destination = [0xfd, .. Payload(random, 15)];
        return FrameBuilder.Ipv6(source, destination, nextHeader, payload);
    }

    private static ushort Port(Random random) =>
        random.Next(2) == 0 ? CommonPorts[random.Next(CommonPorts.Length)] : (ushort)random.Next(1024, 65536);

    private static byte[] Tcp(Random random)
    {
        int optionWords = random.Next(3) == 0 ? 3 : 0;
        var segment = new byte[20 + 4 * optionWords + random.Next(0, 200)];
        random.NextBytes(segment);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(0), Port(random));
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), Port(random));
        segment[12] = (byte)((5 + optionWords) << 4);
        return segment;
    }

    private static byte[] Udp(Random random)
    {
        var datagram = new byte[8 + random.Next(0, 160)];
        random.NextBytes(datagram);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(0), Port(random));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), Port(random));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        return datagram;
    }

    private static byte[] Payload(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
