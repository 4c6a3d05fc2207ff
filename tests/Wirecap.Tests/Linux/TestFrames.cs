using System.Buffers.Binary;

namespace Wirecap.Tests.Linux;

/// <summary>Builds Ethernet/IPv4 UDP and TCP frames with a recognisable payload.</summary>
internal static class TestFrames
{
    public static readonly byte[] MacA = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0a];
    public static readonly byte[] MacB = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0b];
    public static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    public static byte[] Udp(byte[] destinationMac, byte[] sourceMac, int sequence, int payloadLength, ushort destinationPort = 9999) =>
        Ipv4(destinationMac, sourceMac, 17, Transport(8, payloadLength, sequence, t =>
        {
            BinaryPrimitives.WriteUInt16BigEndian(t, 40000);
            BinaryPrimitives.WriteUInt16BigEndian(t[2..], destinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(t[4..], (ushort)t.Length);
        }));

    public static byte[] Tcp(byte[] destinationMac, byte[] sourceMac, int sequence, int payloadLength) =>
        Ipv4(destinationMac, sourceMac, 6, Transport(20, payloadLength, sequence, t =>
        {
            BinaryPrimitives.WriteUInt16BigEndian(t, 40001);
            BinaryPrimitives.WriteUInt16BigEndian(t[2..], 80);
            BinaryPrimitives.WriteUInt32BigEndian(t[4..], (uint)sequence * 1000);
            t[12] = 5 << 4;
            t[13] = 0x18; // PSH|ACK
            BinaryPrimitives.WriteUInt16BigEndian(t[14..], 65535);
        }));

    /// <summary>The same frame with an 802.1Q (or 802.1ad) tag after the MAC addresses.</summary>
    public static byte[] Tagged(byte[] frame, ushort tci, ushort tpid = 0x8100)
    {
        var tagged = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(tagged);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(12), tpid);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(14), tci);
        frame.AsSpan(12).CopyTo(tagged.AsSpan(16));
        return tagged;
    }

    private static byte[] Transport(int headerLength, int payloadLength, int sequence, SpanAction fill)
    {
        var segment = new byte[headerLength + payloadLength];
        for (var i = 0; i < payloadLength; i++) segment[headerLength + i] = (byte)(sequence * 7 + i);
        if (payloadLength >= 4) BinaryPrimitives.WriteInt32BigEndian(segment.AsSpan(headerLength), sequence);
        fill(segment);
        return segment;
    }

    private delegate void SpanAction(Span<byte> span);

    private static byte[] Ipv4(byte[] destinationMac, byte[] sourceMac, byte protocol, byte[] segment)
    {
        var frame = new byte[14 + 20 + segment.Length];
        destinationMac.CopyTo(frame, 0);
        sourceMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + segment.Length));
        ip[8] = 64;
        ip[9] = protocol;
        ip[12] = 10; ip[13] = 202; ip[14] = 0; ip[15] = 1;
        ip[16] = 10; ip[17] = 202; ip[18] = 0; ip[19] = 2;
        uint sum = 0;
        for (var i = 0; i < 20; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
        segment.CopyTo(frame, 34);
        return frame;
    }
}
