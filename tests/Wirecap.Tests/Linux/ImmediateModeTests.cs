using System.Diagnostics;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class ImmediateModeTests
{
    [Test]
    public void ALonePacketArrivesLongBeforeTheBlockTimeoutInImmediateMode()
    {
        using var net = new TestNetwork(addresses: false);
        const int packets = 10;
        var blockTimeout = TimeSpan.FromSeconds(2);
        var (sent, arrived) = net.Run(() =>
        {
            var options = LiveCapture.Options(net.InnerB, immediate: true);
            options.BlockTimeout = blockTimeout;
            using var capture = PacketCapture.Open(options);
            var arrivals = new List<long>();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var reader = new Thread(() => capture.Capture((in CapturedFrame _) => arrivals.Add(Stopwatch.GetTimestamp()), packets, deadline.Token));
            reader.Start();
            var sends = new List<long>();
            using (var injector = new FrameInjector(net.InnerA))
            {
                for (var i = 0; i < packets; i++)
                {
                    // Each packet alone: the reader is back waiting in poll before the next one is sent.
                    Thread.Sleep(30);
                    sends.Add(Stopwatch.GetTimestamp());
                    injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 40));
                }
            }
            reader.Join();
            return (sends, arrivals);
        });

        Assert.That(arrived, Has.Count.EqualTo(packets), "every packet arrived before the deadline");
        var latencies = sent.Zip(arrived, (s, a) => Stopwatch.GetElapsedTime(s, a)).Order().ToList();
        TestContext.Out.WriteLine($"latencies: {string.Join(", ", latencies.Select(l => $"{l.TotalMicroseconds:F0} us"))}");
        Assert.That(latencies[^1], Is.LessThan(blockTimeout / 10), "even the slowest packet came far sooner than a block timeout");
        Assert.That(latencies[packets / 2], Is.LessThan(TimeSpan.FromMilliseconds(20)), "the median packet came within milliseconds");
    }
}
