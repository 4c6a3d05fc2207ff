using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

/// <summary>Promiscuous mode where it matters: a bridge device, unlike veth, drops a unicast frame for a MAC address
/// it does not know instead of passing it up to itself, unless it is promiscuous (br_handle_frame_finish).</summary>
[NonParallelizable]
public class PromiscuousBridgeTests
{
    private static readonly byte[] ForeignMac = TestFrames.MacB;

    [Test]
    public void OnlyAPromiscuousCaptureSeesFramesForAnotherMac([Values] bool promiscuous, [Values] bool immediate)
    {
        using var net = new TestNetwork(addresses: false);
        var bridge = net.AddBridge(net.InnerB);
        var (foreign, own, broadcast) = Frames(net.MacOf(bridge));
        var (during, captured) = net.Run(() =>
        {
            var options = LiveCapture.Options(bridge, immediate);
            options.Promiscuous = promiscuous;
            using var capture = PacketCapture.Open(options);
            var level = net.PromiscuityOf(bridge);
            using (var injector = new FrameInjector(net.InnerA))
            {
                injector.Send(foreign);
                injector.Send(own);
                injector.Send(broadcast);
            }
            return (level, LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(300)));
        });

        Assert.That(during, Is.EqualTo(promiscuous ? 1 : 0), "the bridge's promiscuity while the capture is open");
        Assert.That(net.PromiscuityOf(bridge), Is.Zero, "closing the capture restores the bridge's promiscuity");
        var expected = promiscuous ? new[] { foreign, own, broadcast } : [own, broadcast];
        FrameAssert.Same(expected, captured.Select(f => f.Data).ToList(), promiscuous ? "promiscuous" : "not promiscuous");
        var types = promiscuous
            ? new[] { LinuxPacketType.OtherHost, LinuxPacketType.Host, LinuxPacketType.Broadcast }
            : [LinuxPacketType.Host, LinuxPacketType.Broadcast];
        Assert.That(captured.Select(f => f.Type), Is.EqualTo(types));
    }

    [TestCase("-p")]
    [TestCase("")]
    public void TheCliIsPromiscuousUnlessGivenP(string flag)
    {
        using var net = new TestNetwork(addresses: false);
        var bridge = net.AddBridge(net.InnerB);
        var (foreign, own, broadcast) = Frames(net.MacOf(bridge));
        var file = Path.Combine(Path.GetTempPath(), $"capture-promisc-{Guid.NewGuid():N}.pcap");
        try
        {
            // Two frames are awaited: the foreign one, sent first, is among them only if the bridge is promiscuous.
            using var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {LiveCliTests.Cli} -i {bridge} {flag} -c 2 --immediate-mode -w {file}", "listening on");
            var during = net.PromiscuityOf(bridge);
            net.Run(() =>
            {
                using var injector = new FrameInjector(net.InnerA);
                injector.Send(foreign);
                injector.Send(own);
                injector.Send(broadcast);
            });
            Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
            Assert.That(during, Is.EqualTo(flag == "-p" ? 0 : 1), "the bridge's promiscuity while the command runs");
            Assert.That(net.PromiscuityOf(bridge), Is.Zero, "the command's exit restores the bridge's promiscuity");
            var expected = flag == "-p" ? new[] { own, broadcast } : [foreign, own];
            FrameAssert.Same(expected, TcpdumpRecorder.ReadPcap(file), $"capture {flag} -c 2");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A frame for a MAC nobody has, one for the bridge itself and a broadcast, all valid IPv4 (with br_netfilter
    /// loaded the bridge drops malformed IPv4 before deciding anything).</summary>
    private static (byte[] Foreign, byte[] Own, byte[] Broadcast) Frames(byte[] bridgeMac)
    {
        Assert.That(bridgeMac, Is.Not.EqualTo(ForeignMac), "the foreign MAC must not be the bridge's");
        return (TestFrames.Udp(ForeignMac, TestFrames.MacA, 1, 40), TestFrames.Udp(bridgeMac, TestFrames.MacA, 2, 40),
            TestFrames.Udp(TestFrames.Broadcast, TestFrames.MacA, 3, 40));
    }
}
