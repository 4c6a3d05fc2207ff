using System.Buffers.Binary;
using System.Net;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;

namespace Wirecap.Tests.Filter;

/// <summary>The generated packet corpus's shorthand: int-typed fronts for <see cref="FrameBuilder"/> (frames
/// unpadded, IPv4 id 0x1234, transport checksums zero) and the headers only the corpus needs.</summary>
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

    public static byte[] Mac(string text) => FrameBuilder.Mac(text);

    public static byte[] Ip(string text) => IPAddress.Parse(text).GetAddressBytes();

    public static byte[] Ethernet(string dst, string src, int type, byte[] payload) =>
        FrameBuilder.Ethernet(Mac(src), Mac(dst), (ushort)type, payload, pad: false);

    public static byte[] Ipv4(string src, string dst, int protocol, byte[] payload, int fragment = 0, byte[]? options = null, int tos = 0) =>
        FrameBuilder.Ipv4(Ip(src), Ip(dst), (byte)protocol, payload, id: 0x1234, fragment: (ushort)fragment, tos: (byte)tos, options: options);

    public static byte[] Ipv6(string src, string dst, int nextHeader, byte[] payload) =>
        FrameBuilder.Ipv6(Ip(src), Ip(dst), (byte)nextHeader, payload);

    /// <summary>An IPv6 extension header (hop-by-hop, routing, destination options) of 8 bytes.</summary>
    public static byte[] Extension(int nextHeader, byte[] payload) => Concat([(byte)nextHeader, 0, 0, 0, 0, 0, 0, 0], payload);

    public static byte[] Fragment6(int nextHeader, byte[] payload, int offset = 0) =>
        Concat([(byte)nextHeader, 0], U16(offset << 3), U32(0xabcd), payload);

    public static byte[] Ah(int nextHeader, byte[] payload) =>
        Concat([(byte)nextHeader, 4, 0, 0], U32(0x100), U32(1), new byte[12], payload);

    public static byte[] Tcp(int src, int dst, int flags = 0x02) =>
        FrameBuilder.Tcp((ushort)src, (ushort)dst, 1, 0, (TcpFlags)flags, 8192, [], []);

    public static byte[] Udp(int src, int dst, byte[]? payload = null) =>
        FrameBuilder.Udp((ushort)src, (ushort)dst, payload ?? [0xde, 0xad, 0xbe, 0xef]);

    public static byte[] Sctp(int src, int dst) => Concat(U16(src), U16(dst), U32(7), U32(0), [1, 0, 0, 4]);

    public static byte[] Icmp(int type, int code = 0) => FrameBuilder.Icmp((byte)type, (byte)code, 1, 1, []);

    public static byte[] Arp(int operation, string senderIp, string targetIp) =>
        FrameBuilder.Arp((ushort)operation, "00:11:22:33:44:55", senderIp, "00:00:00:00:00:00", targetIp);
}
