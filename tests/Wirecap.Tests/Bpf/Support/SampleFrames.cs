using System.Buffers.Binary;

namespace Wirecap.Testing;

/// <summary>
/// Builds plausible Ethernet frames (IPv4/IPv6 with TCP, UDP, ICMP; ARP; other EtherTypes) from a
/// seeded random source, so tests and benchmarks see the same realistic traffic every run. Shared
/// by the test project and the benchmark project (linked source).
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
        var frame = new List<byte>(128);
        frame.AddRange(destination ?? RandomMac(random));
        frame.AddRange(source ?? RandomMac(random));
        switch (kind)
        {
            case Kind.Ipv4Tcp: Ethertype(frame, 0x0800); Ipv4(frame, random, 6, Tcp(random)); break;
            case Kind.Ipv4Udp: Ethertype(frame, 0x0800); Ipv4(frame, random, 17, Udp(random)); break;
            case Kind.Ipv4Icmp: Ethertype(frame, 0x0800); Ipv4(frame, random, 1, Payload(random, 8 + random.Next(56))); break;
            case Kind.Ipv6Tcp: Ethertype(frame, 0x86dd); Ipv6(frame, random, 6, Tcp(random)); break;
            case Kind.Ipv6Udp: Ethertype(frame, 0x86dd); Ipv6(frame, random, 17, Udp(random)); break;
            case Kind.Arp:
                Ethertype(frame, 0x0806);
                frame.AddRange(new byte[] { 0, 1, 8, 0, 6, 4, 0, (byte)(1 + random.Next(2)) });
                frame.AddRange(RandomMac(random));
                frame.AddRange(Ipv4Address(random));
                frame.AddRange(new byte[6]);
                frame.AddRange(Ipv4Address(random));
                break;
            default:
                Ethertype(frame, (ushort)random.Next(0x0600, 0x8100));
                frame.AddRange(Payload(random, random.Next(46, 120)));
                break;
        }
        return [.. frame];
    }

    public static byte[] RandomMac(Random random)
    {
        var mac = Payload(random, 6);
        mac[0] = (byte)(mac[0] & 0xfe | 0x02); // locally administered unicast
        return mac;
    }

    private static void Ethertype(List<byte> frame, ushort type)
    {
        frame.Add((byte)(type >> 8));
        frame.Add((byte)type);
    }

    private static byte[] Ipv4Address(Random random) => random.Next(4) switch
    {
        0 => [10, (byte)random.Next(4), (byte)random.Next(256), (byte)random.Next(1, 255)],
        1 => [192, 168, (byte)random.Next(4), (byte)random.Next(1, 255)],
        2 => [10, 1, 2, 3],
        _ => Payload(random, 4),
    };

    private static void Ipv4(List<byte> frame, Random random, byte protocol, byte[] payload)
    {
        int optionWords = random.Next(10) == 0 ? random.Next(1, 4) : 0;
        int headerLength = 20 + 4 * optionWords;
        var header = new byte[headerLength];
        header[0] = (byte)(0x40 | (5 + optionWords));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(headerLength + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)random.Next(65536));
        // Mostly unfragmented; sometimes a later fragment, which port filters must skip.
        if (random.Next(20) == 0) BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)random.Next(1, 0x1fff));
        header[8] = 64;
        header[9] = protocol;
        Ipv4Address(random).CopyTo(header, 12);
        Ipv4Address(random).CopyTo(header, 16);
        frame.AddRange(header);
        frame.AddRange(payload);
    }

    private static void Ipv6(List<byte> frame, Random random, byte nextHeader, byte[] payload)
    {
        var header = new byte[40];
        header[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)payload.Length);
        header[6] = nextHeader;
        header[7] = 64;
        header[8] = 0xfd;
        Payload(random, 15).CopyTo(header, 9);
        header[24] = 0xfd;
        Payload(random, 15).CopyTo(header, 25);
        frame.AddRange(header);
        frame.AddRange(payload);
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
