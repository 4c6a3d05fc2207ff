using System.Net;
using System.Net.Sockets;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using NUnit.Framework;

namespace Wirecap.Tests.Ncap.Engine;

public class NcapEngineDatagramTests
{
    [Test]
    public void TwoEnginesExchangeMessagesOverLoopbackDatagrams()
    {
        using var receiving = new NcapEngine();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var source = receiving.AddDatagramSocket(socket, "dg test");

        // The sending side: an engine reading a pcap and sending each message as a datagram.
        using var sending = new NcapEngine();
        sending.AddCaptureFile(EngineTestData.Pcap(Enumerable.Range(0, 300).Select(i => EngineTestData.Udp(i))), "pcap");
        using var sender = new NcapDatagramSender(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp),
            socket.LocalEndPoint, ownsSocket: true);
        int sent = 0;
        sending.Collect((in NcapRecord m, NcapSource _) =>
        {
            if (NcapEngine.Send(m, sender)) sent++;
            if (sent % 50 == 0) Thread.Sleep(5); // a modest rate
        });
        Assert.That(sent, Is.EqualTo(300));

        var received = new List<uint>();
        var collect = Task.Run(() => receiving.Collect((in NcapRecord m, NcapSource s) =>
        {
            received.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(m.Payload));
            Assert.That(s.Description, Is.EqualTo("dg dg test"));
            if (received.Count == 300) receiving.Stop();
        }));
        Assert.That(collect.Wait(15_000), Is.True, $"got {received.Count} of 300");
        Assert.That(received, Is.EqualTo(Enumerable.Range(0, 300).Select(i => (uint)i)), "nothing lost, in order");
        Assert.That(source.Datagrams!.HeadersReceived, Is.GreaterThanOrEqualTo(3), "a header first and after every 100 messages");
        Assert.That(source.Datagrams.Gaps, Is.Zero);
        Assert.That(source.Datagrams.Malformed, Is.Zero);
    }
}
