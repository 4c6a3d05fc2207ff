using System.Buffers.Binary;
using System.Net;
using Wirecap.Decoding;

namespace Wirecap.Cli.Sample;

/// <summary>Builds well-formed Ethernet frames (IPv4/IPv6 with UDP, TCP, ICMP, ICMPv6; ARP) with
/// correct lengths and checksums, for the sample capture.</summary>
internal static class FrameBuilder
{
    public static byte[] Ethernet(string source, string destination, ushort etherType, ReadOnlySpan<byte> payload)
    {
        // Frames shorter than the Ethernet minimum are padded with zeros, as a NIC does.
        var frame = new byte[Math.Max(60, 14 + payload.Length)];
        Mac(destination).CopyTo(frame, 0);
        Mac(source).CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        payload.CopyTo(frame.AsSpan(14));
        return frame;
    }

    public static byte[] Arp(ushort operation, string senderMac, string senderIp, string targetMac, string targetIp)
    {
        var arp = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(2), EtherTypes.IPv4);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(6), operation);
        Mac(senderMac).CopyTo(arp, 8);
        IPAddress.Parse(senderIp).GetAddressBytes().CopyTo(arp, 14);
        Mac(targetMac).CopyTo(arp, 18);
        IPAddress.Parse(targetIp).GetAddressBytes().CopyTo(arp, 24);
        return arp;
    }

    /// <summary>An IPv4 or IPv6 packet (by the address family) around a transport segment whose
    /// checksum field is zero; the checksum is filled in here.</summary>
    public static byte[] Ip(string source, string destination, byte protocol, byte[] segment, ushort id = 0, byte hopLimit = 64)
    {
        var src = IPAddress.Parse(source).GetAddressBytes();
        var dst = IPAddress.Parse(destination).GetAddressBytes();
        int checksumAt = protocol switch { IpProtocols.Tcp => 16, IpProtocols.Udp => 6, _ => 2 };
        ushort checksum = InternetChecksum.ComputeTransport(src, dst, protocol, segment);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(checksumAt), checksum);
        if (src.Length == 4)
        {
            var packet = new byte[20 + segment.Length];
            packet[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
            packet[6] = 0x40;
            packet[8] = hopLimit;
            packet[9] = protocol;
            src.CopyTo(packet, 12);
            dst.CopyTo(packet, 16);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, 20)));
            segment.CopyTo(packet, 20);
            return packet;
        }
        var v6 = new byte[40 + segment.Length];
        v6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(4), (ushort)segment.Length);
        v6[6] = protocol;
        v6[7] = hopLimit;
        src.CopyTo(v6, 8);
        dst.CopyTo(v6, 24);
        segment.CopyTo(v6, 40);
        return v6;
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
