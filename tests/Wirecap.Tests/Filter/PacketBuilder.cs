using System.Buffers.Binary;
using System.Net;

namespace Wirecap.Tests.Filter;

/// <summary>Small helpers that assemble protocol headers for the generated packet corpus.</summary>
internal static class PacketBuilder
{
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    public static byte[] U32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }

    public static byte[] Mac(string text) => text.Split(':').Select(p => Convert.ToByte(p, 16)).ToArray();

    public static byte[] Ip(string text) => IPAddress.Parse(text).GetAddressBytes();

    public static byte[] Ethernet(string dst, string src, int type, byte[] payload) =>
        Concat(Mac(dst), Mac(src), U16(type), payload);

    public static byte[] Ipv4(string src, string dst, int protocol, byte[] payload, int fragment = 0, byte[]? options = null, int tos = 0)
    {
        options ??= [];
        var ihl = 5 + options.Length / 4;
        var header = Concat([(byte)(0x40 | ihl), (byte)tos], U16(ihl * 4 + payload.Length), U16(0x1234), U16(fragment),
            [64, (byte)protocol], U16(0), Ip(src), Ip(dst), options);
        return Concat(header, payload);
    }

    public static byte[] Ipv6(string src, string dst, int nextHeader, byte[] payload) =>
        Concat([0x60, 0, 0, 0], U16(payload.Length), [(byte)nextHeader, 64], Ip(src), Ip(dst), payload);

    /// <summary>An IPv6 extension header (hop-by-hop, routing, destination options) of 8 bytes.</summary>
    public static byte[] Extension(int nextHeader, byte[] payload) => Concat([(byte)nextHeader, 0, 0, 0, 0, 0, 0, 0], payload);

    public static byte[] Fragment6(int nextHeader, byte[] payload, int offset = 0) =>
        Concat([(byte)nextHeader, 0], U16(offset << 3), U32(0xabcd), payload);

    public static byte[] Ah(int nextHeader, byte[] payload) =>
        Concat([(byte)nextHeader, 4, 0, 0], U32(0x100), U32(1), new byte[12], payload);

    public static byte[] Tcp(int src, int dst, int flags = 0x02) =>
        Concat(U16(src), U16(dst), U32(1), U32(0), [0x50, (byte)flags], U16(8192), U16(0), U16(0));

    public static byte[] Udp(int src, int dst, byte[]? payload = null)
    {
        payload ??= [0xde, 0xad, 0xbe, 0xef];
        return Concat(U16(src), U16(dst), U16(8 + payload.Length), U16(0), payload);
    }

    public static byte[] Sctp(int src, int dst) => Concat(U16(src), U16(dst), U32(7), U32(0), [1, 0, 0, 4]);

    public static byte[] Icmp(int type, int code = 0) => Concat([(byte)type, (byte)code], U16(0), U32(0x00010001));

    public static byte[] Arp(int operation, string senderIp, string targetIp) =>
        Concat(U16(1), U16(0x0800), [6, 4], U16(operation), Mac("00:11:22:33:44:55"), Ip(senderIp),
            Mac("00:00:00:00:00:00"), Ip(targetIp));
}
