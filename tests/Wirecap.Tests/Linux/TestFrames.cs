using Wirecap.Cli.Sample;
using Wirecap.Decoding;

namespace Wirecap.Tests.Linux;

/// <summary>Ethernet/IPv4 (10.202.0.1 → 10.202.0.2) UDP and TCP frames whose payload carries a sequence number.</summary>
internal static class TestFrames
{
    public static readonly byte[] MacA = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0a];
    public static readonly byte[] MacB = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0b];
    public static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    public static byte[] Udp(byte[] destinationMac, byte[] sourceMac, int sequence, int payloadLength, ushort destinationPort = 9999) =>
        Ipv4(destinationMac, sourceMac, IpProtocols.Udp, FrameBuilder.Udp(40000, destinationPort, Payload(sequence, payloadLength)));

    public static byte[] Tcp(byte[] destinationMac, byte[] sourceMac, int sequence, int payloadLength) =>
        Ipv4(destinationMac, sourceMac, IpProtocols.Tcp,
            FrameBuilder.Tcp(40001, 80, (uint)sequence * 1000, 0, TcpFlags.Psh | TcpFlags.Ack, 65535, [], Payload(sequence, payloadLength)));

    /// <summary>A recognisable payload: the sequence number (big-endian, when it fits) over a pattern derived from it.</summary>
    private static byte[] Payload(int sequence, int length)
    {
        var payload = new byte[length];
        for (var i = 0; i < length; i++) payload[i] = (byte)(sequence * 7 + i);
        if (length >= 4) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(payload, sequence);
        return payload;
    }

    // Transport checksums stay zero ("none" for UDP); frames are not padded to 60 bytes, so lengths are exact.
    private static byte[] Ipv4(byte[] destinationMac, byte[] sourceMac, byte protocol, byte[] segment) =>
        FrameBuilder.Ethernet(sourceMac, destinationMac, EtherTypes.IPv4,
            FrameBuilder.Ipv4([10, 202, 0, 1], [10, 202, 0, 2], protocol, segment, fragment: 0), pad: false);
}
