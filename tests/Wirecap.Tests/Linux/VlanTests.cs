using Wirecap.Cli.Sample;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class VlanTests(RingKind ring) : EachRingFixture(ring)
{
    [Test]
    public void StrippedVlanTagsComeBackWithTheirTpidAsTcpdumpShowsThem()
    {
        using var net = new TestNetwork(addresses: false);
        var sent = new List<byte[]>
        {
            FrameBuilder.Tagged(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 50), 0x0064),
            FrameBuilder.Tagged(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 2, 70), 0xf07b, tpid: 0x88a8),
            FrameBuilder.Tagged(TestFrames.Tcp(TestFrames.MacB, TestFrames.MacA, 3, 20), 0x0000),
            TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 4, 50),
        };
        using var tcpdump = new TcpdumpRecorder(net.Name, net.InnerB);
        var captured = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(net.InnerB));
            using (var injector = new FrameInjector(net.InnerA))
                foreach (var frame in sent) injector.Send(frame);
            var frames = new List<(byte[] Data, bool HasVlan, ushort Tci, ushort Tpid)>();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            capture.Capture((in CapturedFrame f) => frames.Add((f.Data.ToArray(), f.HasVlan, f.VlanTci, f.VlanTpid)), sent.Count, cancel.Token);
            return frames;
        });

        FrameAssert.Same(sent, captured.Select(f => f.Data).ToList(), "tags re-inserted");
        Assert.That(captured.Select(f => (f.HasVlan, f.Tci, f.Tpid)), Is.EqualTo(new[]
        {
            (true, (ushort)0x0064, (ushort)0x8100), (true, (ushort)0xf07b, (ushort)0x88a8), (true, (ushort)0, (ushort)0x8100), (false, (ushort)0, (ushort)0x8100),
        }), "the kernel reported each tag (VLAN 0 too) and its TPID");
        FrameAssert.Same(captured.Select(f => f.Data).ToList(), tcpdump.StopAndRead(sent.Count), "same as tcpdump");
    }

    [Test]
    public void WithoutReinsertionTheFrameStaysAsTheKernelLeftIt()
    {
        using var net = new TestNetwork(addresses: false);
        var inner = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 50);
        var captured = net.Run(() =>
        {
            var options = Options(net.InnerB);
            options.ReinsertVlanTags = false;
            using var capture = PacketCapture.Open(options);
            using (var injector = new FrameInjector(net.InnerA)) injector.Send(FrameBuilder.Tagged(inner, 0x0064));
            return LiveCapture.Collect(capture, 1);
        });
        FrameAssert.Same([inner], captured, "untagged frame");
    }
}
