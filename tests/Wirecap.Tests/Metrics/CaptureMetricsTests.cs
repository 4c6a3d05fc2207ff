using Wirecap.Linux;
using Wirecap.Linux.Probes;
using Wirecap.Linux.Tc;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Metrics;

[NonParallelizable]
public class CaptureMetricsTests
{
    [Test]
    public void ALiveCaptureReportsReceivedDeliveredDroppedAndBytesTaggedByInterface()
    {
        using var net = new TestNetwork(addresses: false);
        AssertReported(net, () => PacketCapture.Open(new PacketCaptureOptions { Interface = net.InnerB, FilterExpression = "udp" }));
    }

    [Test]
    public void ATcCaptureReportsTheSameInstruments()
    {
        using var net = new TestNetwork(addresses: false);
        AssertReported(net, () => TcCapture.Open(new TcCaptureOptions { Interface = net.InnerB, FilterExpression = "udp" }));
    }

    [Test]
    public void AProbeCaptureReportsTheSameInstrumentsTaggedByItsProbes()
    {
        using var net = new TestNetwork(addresses: false);
        // Tracepoints see every namespace: the probe keeps the test network's only, and the filter runs in the probe.
        AssertReported(net, () => ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:net:netif_receive_skb"], Netns = net.Name, FilterExpression = "udp" }));
    }

    private static void AssertReported(TestNetwork net, Func<ILiveCapture> open)
    {
        const int sent = 50, length = 200;
        net.Run(() =>
        {
            using var metrics = new MetricsCollector();
            using var capture = open();
            using (var injector = new FrameInjector(net.InnerA))
                for (var i = 0; i < sent; i++) injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, length - 42));
            long bytes = 0;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var delivered = capture.Capture((in CapturedFrame frame) => bytes += frame.Data.Length, sent, deadline.Token);
            Assert.That(delivered, Is.EqualTo(sent));

            var tag = (WirecapMetrics.InterfaceTag, capture is ProbeCapture ? capture.InterfaceName : net.InnerB);
            Assert.That(metrics.Collect("wirecap.capture.packets.delivered", tag), Is.EqualTo(sent));
            Assert.That(metrics.Collect("wirecap.capture.bytes.delivered", tag), Is.EqualTo(bytes).And.EqualTo((long)sent * length));
            Assert.That(metrics.Collect("wirecap.capture.packets.received", tag), Is.GreaterThanOrEqualTo(sent));
            Assert.That(metrics.Collect("wirecap.capture.packets.dropped", tag, (WirecapMetrics.DropReasonTag, "kernel")), Is.Zero);
            Assert.That(metrics.Collect("wirecap.capture.packets.dropped", tag, (WirecapMetrics.DropReasonTag, "filter")), Is.Zero);
            Assert.That(metrics.UnitOf("wirecap.capture.packets.delivered"), Is.EqualTo("{packet}"));

            var statistics = capture.GetStatistics();
            Assert.That(statistics.DeliveredBytes, Is.EqualTo(bytes));
            capture.Dispose();
            Assert.That(metrics.Collect("wirecap.capture.packets.delivered", tag), Is.Null, "a closed capture is no longer reported");
        });
    }
}
