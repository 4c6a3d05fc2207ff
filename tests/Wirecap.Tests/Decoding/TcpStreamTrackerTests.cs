using Wirecap.Formats.Ncap;
using Wirecap.Decoding;
using NUnit.Framework;

namespace Wirecap.Tests.Decoding;

public class TcpStreamTrackerTests
{
    private static readonly byte[] A = [10, 0, 0, 1];
    private static readonly byte[] B = [10, 0, 0, 2];
    private const byte Syn = 0x02, Ack = 0x10, Fin = 0x01, Rst = 0x04, Psh = 0x08;

    [Test]
    public void OffsetsCountFromTheByteAfterTheSynInEachDirection()
    {
        var t = new TcpStreamTracker();
        Assert.That(t.Observe(A, B, 40000, 80, 1000, Syn, 0), Is.EqualTo((0u, NcapTcpFlags.FirstSegment)));
        Assert.That(t.Observe(B, A, 80, 40000, 0xfffffff0, Syn | Ack, 1), Is.EqualTo((0u, NcapTcpFlags.FirstSegment)));
        Assert.That(t.Observe(A, B, 40000, 80, 1001, Ack | Psh, 2).Offset, Is.EqualTo(0u));
        Assert.That(t.Observe(A, B, 40000, 80, 1101, Ack | Psh, 3).Offset, Is.EqualTo(100u));
        Assert.That(t.Observe(B, A, 80, 40000, unchecked(0xfffffff1 + 20), Ack, 4).Offset, Is.EqualTo(20u), "sequence wrap-around");
        Assert.That(t.Observe(A, B, 40000, 80, 1201, Ack | Fin, 5), Is.EqualTo((200u, NcapTcpFlags.LastSegment)));
        Assert.That(t.Count, Is.EqualTo(1), "the finished direction is forgotten");
        Assert.That(t.Observe(B, A, 80, 40000, 5, Rst, 6).Flags, Is.EqualTo(NcapTcpFlags.Reset));
        Assert.That(t.Count, Is.Zero);
    }

    [Test]
    public void MidStreamCaptureCountsFromTheFirstSeenSegment()
    {
        var t = new TcpStreamTracker();
        Assert.That(t.Observe(A, B, 1, 2, 5_000_000, Ack, 0).Offset, Is.EqualTo(0u));
        Assert.That(t.Observe(A, B, 1, 2, 5_000_512, Ack, 0).Offset, Is.EqualTo(512u));
    }

    [Test]
    public void MemoryIsBoundedByCountAndIdleTime()
    {
        var t = new TcpStreamTracker(new TcpStreamOptions { MaxStreams = 100, IdleTimeout = TimeSpan.FromSeconds(10) });
        for (ushort port = 1; port <= 1000; port++) t.Observe(A, B, port, 80, 1, Syn, 0);
        Assert.That(t.Count, Is.EqualTo(100));
        Assert.That(t.Evicted, Is.EqualTo(900));
        Assert.That(t.Observe(A, B, 1000, 80, 11, Ack, 1).Offset, Is.EqualTo(9u), "the most recent direction is kept");
        t.Observe(A, B, 7, 7, 1, Syn, 11_000_000_001);
        Assert.That(t.Count, Is.EqualTo(1), "idle directions expire on packet time");
    }

    [Test]
    public void TransportChecksumsVerifyWithThePseudoHeader()
    {
        // A UDP datagram 10.0.0.1:1111 -> 10.0.0.2:53 with payload "hi", checksum computed by hand below.
        byte[] udp = [0x04, 0x57, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00, (byte)'h', (byte)'i'];
        uint sum = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 10 + 0x0457 + 0x0035 + 0x000a + 0x6869;
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        ushort checksum = (ushort)~sum;
        udp[6] = (byte)(checksum >> 8);
        udp[7] = (byte)checksum;
        Assert.That(InternetChecksum.VerifyTransport(A, B, 17, udp), Is.True);
        udp[9] ^= 1;
        Assert.That(InternetChecksum.VerifyTransport(A, B, 17, udp), Is.False);
        Assert.That(InternetChecksum.Compute([0x45, 0x00, 0x00, 0x1c]), Is.EqualTo(unchecked((ushort)~(0x4500 + 0x001c))));
    }
}
