using Capture.Formats.Ncap;
using Capture.Ncap;
using Capture.Tests.Infrastructure;
using Capture.Tests.Linux;
using NUnit.Framework;
using static Capture.Tests.Ncap.Engine.EngineTestData;

namespace Capture.Tests.Ncap.Engine;

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
        Assert.That(source.Decoder!.Dropped(NcapDropReason.NotIp), Is.Zero, "ARP never left the kernel: the filter runs there");
        engine.Drop(source);
        Assert.That(engine.Sources, Is.Empty);
    }
}
