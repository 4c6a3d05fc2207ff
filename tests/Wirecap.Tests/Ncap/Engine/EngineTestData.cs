using System.Buffers.Binary;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Tests.Decoding;
using Wirecap.Tests.Linux;

namespace Wirecap.Tests.Ncap.Engine;

/// <summary>Frames and capture files for engine tests.</summary>
internal static class EngineTestData
{
    public const long BaseTime = 1_700_000_000_123_456_000;

    public static MemoryStream Pcap(IEnumerable<byte[]> frames, int snapLength = 262144, LinkType linkType = LinkType.Ethernet)
    {
        var stream = new MemoryStream();
        using (var writer = CaptureWriter.Create(stream, CaptureFormat.Pcap, new CaptureWriterOptions
        {
            LeaveOpen = true, LinkType = linkType, SnapLength = snapLength, Precision = TimestampPrecision.Nanosecond,
        }))
        {
            long t = BaseTime;
            foreach (var frame in frames)
            {
                writer.Write(frame.AsSpan(0, Math.Min(frame.Length, snapLength)), t, frame.Length);
                t += 1_000;
            }
        }
        stream.Position = 0;
        return stream;
    }

    public static byte[] Udp(int sequence, ushort port = 9999, int payload = 16) => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, sequence, payload, port);

    /// <summary>An ARP frame whose message is all zeros.</summary>
    public static byte[] Arp() => FrameBuilder.Ethernet(TestFrames.MacA, TestFrames.Broadcast, EtherTypes.Arp, new byte[28], pad: false);

    /// <summary>A TCP frame with the given flags byte and, when <paramref name="validChecksum"/>, a correct checksum.</summary>
    public static byte[] Tcp(int sequence, byte flags, uint sequenceNumber, bool validChecksum, int payload = 8)
    {
        var frame = TestFrames.Tcp(TestFrames.MacB, TestFrames.MacA, sequence, payload);
        var segment = frame.AsSpan(34);
        BinaryPrimitives.WriteUInt32BigEndian(segment[4..], sequenceNumber);
        segment[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment[16..], 0);
        if (validChecksum)
        {
            var ip = frame.AsSpan(14, 20);
            BinaryPrimitives.WriteUInt16BigEndian(segment[16..], InternetChecksum.ComputeTransport(ip.Slice(12, 4), ip.Slice(16, 4), IpProtocols.Tcp, segment));
        }
        else BinaryPrimitives.WriteUInt16BigEndian(segment[16..], 0xdead);
        return frame;
    }

    /// <summary>An Ethernet frame around an IP packet.</summary>
    public static byte[] Ethernet(byte[] ipPacket) =>
        FrameBuilder.Ethernet(TestFrames.MacA, TestFrames.MacB, ipPacket[0] >> 4 == 6 ? EtherTypes.IPv6 : EtherTypes.IPv4, ipPacket, pad: false);

    /// <summary>A fragmented UDP datagram (port 9999) as Ethernet frames.</summary>
    public static List<byte[]> FragmentedUdp(int payload, ushort id, params int[] cuts)
    {
        var datagram = FragmentBuilder.IPv4Datagram(payload + 8, id);
        FrameBuilder.Udp(5555, 9999, datagram.AsSpan(28)).CopyTo(datagram, 20);
        return FragmentBuilder.FragmentIPv4(datagram, cuts).Select(Ethernet).ToList();
    }
}
