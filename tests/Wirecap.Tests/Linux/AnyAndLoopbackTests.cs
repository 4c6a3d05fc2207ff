using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Wirecap.Formats;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class AnyAndLoopbackTests(RingKind ring) : EachRingFixture(ring)
{
    [Test]
    public void TheAnyDeviceYieldsSll2RecordsWithInterfaceDirectionAndProtocolLikeTcpdump()
    {
        using var net = new TestNetwork(addresses: false);
        var frame = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 7, 80);
        using var tcpdump = new TcpdumpRecorder(net.Name, "any", "-y LINUX_SLL2");
        var (linkType, captured, indexA, indexB) = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(PacketCaptureOptions.AnyInterface));
            using (var injector = new FrameInjector(net.InnerA)) injector.Send(frame);
            var frames = LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200));
            return (capture.LinkType, frames, net.IndexOf(net.InnerA), net.IndexOf(net.InnerB));
        });

        Assert.That(linkType, Is.EqualTo(LinkType.LinuxSll2));
        Assert.That(captured, Has.Count.EqualTo(2), "sent on A, received on B");
        var sentOnA = captured.Single(f => f.Type == LinuxPacketType.Outgoing);
        var receivedOnB = captured.Single(f => f.Type != LinuxPacketType.Outgoing);
        Assert.That(sentOnA.InterfaceIndex, Is.EqualTo(indexA));
        Assert.That(receivedOnB.InterfaceIndex, Is.EqualTo(indexB));
        Assert.That(receivedOnB.Type, Is.EqualTo(LinuxPacketType.OtherHost));
        foreach (var (data, original, type, index) in captured)
        {
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(data), Is.EqualTo(0x0800), "SLL2 protocol");
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4)), Is.EqualTo(index), "SLL2 interface index");
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(8)), Is.EqualTo(1), "SLL2 ARPHRD_ETHER");
            Assert.That(data[10], Is.EqualTo((byte)type), "SLL2 packet type");
            Assert.That(data[11], Is.EqualTo(6), "SLL2 address length");
            Assert.That(data.AsSpan(12, 6).ToArray(), Is.EqualTo(TestFrames.MacA), "SLL2 address: the sender's MAC");
            Assert.That(data.AsSpan(20).ToArray(), Is.EqualTo(frame.AsSpan(14).ToArray()), "the network-layer packet");
            Assert.That(original, Is.EqualTo(frame.Length - 14 + 20));
        }
        var oracle = tcpdump.StopAndRead(2);
        Assert.That(oracle.Select(Convert.ToHexString), Is.EquivalentTo(captured.Select(f => Convert.ToHexString(f.Data))), "same records as tcpdump -y LINUX_SLL2");
    }

    [Test]
    public void LoopbackUdpAndTcpAreCapturedOnceEachAsTcpdumpCapturesThem()
    {
        using var net = new TestNetwork(addresses: false);
        using var tcpdump = new TcpdumpRecorder(net.Name, "lo");
        var captured = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options("lo"));
            using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                for (var i = 0; i < 5; i++) udp.SendTo(new byte[10 + i], new IPEndPoint(IPAddress.Loopback, 9));
            }
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                using var client = new TcpClient();
                client.Connect((IPEndPoint)listener.LocalEndpoint);
                using var server = listener.AcceptTcpClient();
                client.GetStream().Write(new byte[3000]);
                var buffer = new byte[3000];
                server.GetStream().ReadExactly(buffer);
                server.GetStream().Write("done"u8);
                client.GetStream().ReadExactly(new byte[4]);
            }
            Thread.Sleep(100);
            return LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200));
        });
        var udpFrames = captured.Where(f => f.Data[23] == 17).ToList();
        var tcpFrames = captured.Where(f => f.Data[23] == 6).ToList();
        Assert.That(udpFrames, Has.Count.EqualTo(5), "each datagram once (the outgoing copy on lo is dropped, as libpcap does)");
        Assert.That(tcpFrames, Has.Count.GreaterThanOrEqualTo(6), "handshake, data, acknowledgements and close");
        Assert.That(captured.All(f => f.InterfaceIndex == 1 && f.Type != LinuxPacketType.Outgoing));
        FrameAssert.Same(captured.Select(f => f.Data).ToList(), tcpdump.StopAndRead(captured.Count), "same frames as tcpdump -i lo");
    }
}
