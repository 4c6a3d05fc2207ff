using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class RingCaptureTests(RingKind ring) : EachRingFixture(ring)
{
    [Test]
    public void InjectedUdpAndTcpFramesAreCapturedByteForByteAsTcpdumpCapturesThem()
    {
        using var net = new TestNetwork(addresses: false);
        var sent = Enumerable.Range(0, 60)
            .Select(i => i % 2 == 0 ? TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 10 + i * 23) : TestFrames.Tcp(TestFrames.MacB, TestFrames.MacA, i, i * 19))
            .ToList();
        using var tcpdump = new TcpdumpRecorder(net.Name, net.InnerB);

        var captured = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(net.InnerB));
            using (var injector = new FrameInjector(net.InnerA))
                foreach (var frame in sent) injector.Send(frame);
            return LiveCapture.Collect(capture, sent.Count);
        });

        FrameAssert.Same(sent, captured, "our capture holds exactly the frames sent, in order");
        var oracle = tcpdump.StopAndRead(sent.Count);
        FrameAssert.Same(captured, oracle, "tcpdump saw the same bytes; tcpdump said " + tcpdump.Stderr);
    }
}
