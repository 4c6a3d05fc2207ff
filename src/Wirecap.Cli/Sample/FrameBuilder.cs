using System.Buffers.Binary;
using System.Net;
using Wirecap.Decoding;

namespace Wirecap.Cli.Sample;

/// <summary>Builds well-formed Ethernet frames (IPv4/IPv6 with UDP, TCP, ICMP, ICMPv6; ARP; 802.1Q tags)
/// with correct lengths and checksums: the sample capture's frames, and the one frame builder of the
/// tests and benchmarks (which reach it as an internal type).</summary>
internal static class FrameBuilder
{
    /// <summary>The IPv4 flags and fragment-offset field with only Don't Fragment set.</summary>
    public const ushort DontFragment = 0x4000;

    public static byte[] Ethernet(string source, string destination, ushort etherType, ReadOnlySpan<byte> payload) =>
        Ethernet(Mac(source), Mac(destination), etherType, payload);

    /// <param name="pad">pad frames shorter than the Ethernet minimum (60 bytes) with zeros, as a NIC does</param>
    public static byte[] Ethernet(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ushort etherType, ReadOnlySpan<byte> payload, bool pad = true)
    {
        var frame = new byte[Math.Max(pad ? 60 : 0, 14 + payload.Length)];
        destination.CopyTo(frame);
        source.CopyTo(frame.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        payload.CopyTo(frame.AsSpan(14));
        return frame;
    }

    /// <summary>The same frame with an 802.1Q (or 802.1ad) tag after the MAC addresses.</summary>
    public static byte[] Tagged(byte[] frame, ushort tci, ushort tpid = EtherTypes.Vlan)
    {
        var tagged = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(tagged);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(12), tpid);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(14), tci);
        frame.AsSpan(12).CopyTo(tagged.AsSpan(16));
        return tagged;
    }

    public static byte[] Arp(ushort operation, string senderMac, string senderIp, string targetMac, string targetIp) =>
        Arp(operation, Mac(senderMac), IPAddress.Parse(senderIp).GetAddressBytes(), Mac(targetMac), IPAddress.Parse(targetIp).GetAddressBytes());

    /// <summary>An Ethernet/IPv4 ARP message.</summary>
    public static byte[] Arp(ushort operation, ReadOnlySpan<byte> senderMac, ReadOnlySpan<byte> senderIp, ReadOnlySpan<byte> targetMac, ReadOnlySpan<byte> targetIp)
    {
        var arp = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(2), EtherTypes.IPv4);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(6), operation);
        senderMac.CopyTo(arp.AsSpan(8));
        senderIp.CopyTo(arp.AsSpan(14));
        targetMac.CopyTo(arp.AsSpan(18));
        targetIp.CopyTo(arp.AsSpan(24));
        return arp;
    }

    /// <summary>An IPv4 or IPv6 packet (by the address family) around a transport segment whose
    /// checksum field is zero; the checksum is filled in here.</summary>
    /// <param name="options">IPv4 header options, a multiple of 4 bytes</param>
    public static byte[] Ip(string source, string destination, byte protocol, byte[] segment, ushort id = 0, byte hopLimit = 64,
        ReadOnlySpan<byte> options = default)
    {
        var src = IPAddress.Parse(source).GetAddressBytes();
        var dst = IPAddress.Parse(destination).GetAddressBytes();
        int checksumAt = protocol switch { IpProtocols.Tcp => 16, IpProtocols.Udp => 6, _ => 2 };
        ushort checksum = InternetChecksum.ComputeTransport(src, dst, protocol, segment);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(checksumAt), checksum);
        return src.Length == 4 ? Ipv4(src, dst, protocol, segment, id, hopLimit, options: options) : Ipv6(src, dst, protocol, segment, hopLimit);
    }

    /// <summary>An IPv4 packet around <paramref name="payload"/> (taken as it is), its header checksum filled in.</summary>
    /// <param name="fragment">the flags and fragment-offset field (offset in 8-byte units)</param>
    /// <param name="options">header options, a multiple of 4 bytes</param>
    public static byte[] Ipv4(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ReadOnlySpan<byte> payload,
        ushort id = 0, byte ttl = 64, ushort fragment = DontFragment, byte tos = 0, ReadOnlySpan<byte> options = default)
    {
        if (options.Length % 4 != 0) throw new ArgumentException("IPv4 options are a multiple of 4 bytes", nameof(options));
        int headerLength = 20 + options.Length;
        var packet = new byte[headerLength + payload.Length];
        packet[0] = (byte)(0x40 | headerLength / 4);
        packet[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), fragment);
        packet[8] = ttl;
        packet[9] = protocol;
        source.CopyTo(packet.AsSpan(12));
        destination.CopyTo(packet.AsSpan(16));
        options.CopyTo(packet.AsSpan(20));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, headerLength)));
        payload.CopyTo(packet.AsSpan(headerLength));
        return packet;
    }

    /// <summary>An IPv6 packet around <paramref name="payload"/> (taken as it is: extension headers and all).</summary>
    public static byte[] Ipv6(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte nextHeader, ReadOnlySpan<byte> payload, byte hopLimit = 64)
    {
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = hopLimit;
        source.CopyTo(packet.AsSpan(8));
        destination.CopyTo(packet.AsSpan(24));
        payload.CopyTo(packet.AsSpan(40));
        return packet;
    }

    public static byte[] Udp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var udp = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        payload.CopyTo(udp.AsSpan(8));
        return udp;
    }

    public static byte[] Tcp(ushort sourcePort, ushort destinationPort, uint seq, uint ack, TcpFlags flags, ushort window,
        ReadOnlySpan<byte> options, ReadOnlySpan<byte> payload)
    {
        int headerLength = 20 + options.Length;
        var tcp = new byte[headerLength + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), ack);
        tcp[12] = (byte)(headerLength / 4 << 4);
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), window);
        options.CopyTo(tcp.AsSpan(20));
        payload.CopyTo(tcp.AsSpan(headerLength));
        return tcp;
    }

    public static byte[] Icmp(byte type, byte code, ushort id, ushort seq, ReadOnlySpan<byte> data)
    {
        var icmp = new byte[8 + data.Length];
        icmp[0] = type;
        icmp[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(6), seq);
        data.CopyTo(icmp.AsSpan(8));
        return icmp;
    }

    public static byte[] Mac(string text) => Convert.FromHexString(text.Replace(":", "", StringComparison.Ordinal));
}
