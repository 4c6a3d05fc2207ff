using Wirecap.Decoding;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Linux;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.Engine.EngineTestData;

namespace Wirecap.Tests.Ncap.Engine;

[NonParallelizable]
public class NcapEngineInterfaceTests
{
    [Test]
    public void AnInterfaceSourceDeliversMessagesThroughItsKernelFilter()
    {
        using var net = new TestNetwork(addresses: false);
        using var engine = new NcapEngine();
        var source = net.Run(() => engine.AddInterface(net.InnerB, new NcapInterfaceOptions
        {
            Filter = "udp dst port 53",
            User1 = new NcapUserStamp(NcapUserOperation.Set, 42),
        }));
        var ports = new List<ushort>();
        var collect = Task.Factory.StartNew(() => engine.Collect((in NcapRecord m, NcapSource s) =>
        {
            lock (ports) ports.Add(m.DestinationPort);
            Assert.That(m.User1, Is.EqualTo(42u));
            Assert.That(s.Description, Is.EqualTo("if " + net.InnerB));
            if (ports.Count == 3) engine.Stop();
        }), TaskCreationOptions.LongRunning);

        net.Run(() =>
        {
            using var injector = new FrameInjector(net.InnerA);
            for (int i = 0; i < 3; i++)
            {
                injector.Send(Udp(i, port: 9999));
                injector.Send(Arp());
                injector.Send(Udp(i, port: 53));
            }
        });
        Assert.That(collect.Wait(15_000), Is.True, "three DNS messages arrive");
        Assert.That(ports, Is.EqualTo(new ushort[] { 53, 53, 53 }));
        Assert.That(source.Converter!.Dropped(NcapDropReason.NotIp), Is.Zero, "ARP never left the kernel: the filter runs there");
        engine.Drop(source);
        Assert.That(engine.Sources, Is.Empty);
    }

    [Test]
    public void AnInterfaceSourceTakesItsDirectionAndRingSize()
    {
        using var net = new TestNetwork(addresses: false);
        using var engine = new NcapEngine();
        // A small ring gets small blocks rather than being refused as smaller than one.
        var source = net.Run(() => engine.AddInterface(net.InnerB, new NcapInterfaceOptions
        {
            Direction = PacketDirection.Inbound,
            RingSize = 256 << 10,
        }));
        var ports = new List<ushort>();
        var collect = Task.Factory.StartNew(() => engine.Collect((in NcapRecord m, NcapSource _) =>
        {
            lock (ports) ports.Add(m.DestinationPort);
            if (ports.Count == 2) engine.Stop();
        }), TaskCreationOptions.LongRunning);

        net.Run(() =>
        {
            using (var outgoing = new FrameInjector(net.InnerB)) outgoing.Send(Udp(0, port: 7777));
            using var incoming = new FrameInjector(net.InnerA);
            incoming.Send(Udp(1, port: 53));
            incoming.Send(Udp(2, port: 54));
        });
        Assert.That(collect.Wait(15_000), Is.True, "two received messages arrive");
        Assert.That(ports, Is.EqualTo(new ushort[] { 53, 54 }), "the frame sent from the interface is not received");
        engine.Drop(source);

        var refused = net.Run(() => Assert.Throws<Wirecap.Linux.RingAllocationException>(() =>
            engine.AddInterface(net.InnerB, new NcapInterfaceOptions { RingSize = 8L << 30 })));
        Assert.That(refused!.Message, Does.Contain("too large").And.Contain(net.InnerB));
        Assert.That(refused.RequestedBytes, Is.EqualTo(8L << 30));
    }
}
