using System.Diagnostics;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class LifecycleTests(RingKind ring) : EachRingFixture(ring)
{
    [Test]
    public void StopFromAnotherThreadEndsAnIdleReadWithin100Ms()
    {
        using var net = new TestNetwork(addresses: false);
        var latency = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(net.InnerB));
            var stopped = new Stopwatch();
            var reader = Task.Run(() => capture.Capture((in CapturedFrame _) => { }));
            Thread.Sleep(200);
            Assert.That(reader.IsCompleted, Is.False, "the read waits while the interface is idle");
            stopped.Start();
            capture.Stop();
            Assert.That(reader.Wait(TimeSpan.FromSeconds(5)), Is.True, "the read returned");
            return stopped.Elapsed;
        });
        Assert.That(latency, Is.LessThan(TimeSpan.FromMilliseconds(100)));
    }

    [Test]
    public void DisposeReturnsAsPromptlyAsStopWhileAReadIsBlocked()
    {
        using var net = new TestNetwork(addresses: false);
        // The figures are noise on a shared machine; the bound is generous, the measured ones go to the test's output.
        TimeSpan Measure(bool dispose) => net.Run(() =>
        {
            var capture = PacketCapture.Open(Options(net.InnerB));
            var reader = Task.Run(() => capture.Capture((in CapturedFrame _) => { }));
            Thread.Sleep(200);
            var call = Stopwatch.StartNew();
            if (dispose) capture.Dispose();
            else capture.Stop();
            var elapsed = call.Elapsed;
            Assert.That(reader.Wait(TimeSpan.FromSeconds(5)), Is.True, "the read returned");
            capture.Dispose();
            return elapsed;
        });
        var stop = Enumerable.Range(0, 5).Select(_ => Measure(dispose: false).TotalMilliseconds).Order().ToList();
        var dispose = Enumerable.Range(0, 5).Select(_ => Measure(dispose: true).TotalMilliseconds).Order().ToList();
        TestContext.Out.WriteLine($"Stop(): median {stop[2]:F3} ms; Dispose(): median {dispose[2]:F3} ms (max {dispose[^1]:F3} ms)");
        Assert.That(dispose[2], Is.LessThan(20), "Dispose() with a blocked read leaves the closing to the reader");
    }

    [Test]
    public void CancellingTheTokenEndsAnIdleReadWithin100Ms()
    {
        using var net = new TestNetwork(addresses: false);
        var latency = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(net.InnerB));
            using var cancel = new CancellationTokenSource();
            var reader = Task.Run(() => capture.Capture((in CapturedFrame _) => { }, -1, cancel.Token));
            Thread.Sleep(200);
            var stopped = Stopwatch.StartNew();
            cancel.Cancel();
            Assert.That(reader.Wait(TimeSpan.FromSeconds(5)), Is.True, "the read returned");
            return stopped.Elapsed;
        });
        Assert.That(latency, Is.LessThan(TimeSpan.FromMilliseconds(100)));
    }

    [Test]
    public void DisposingDuringAReadIsSafeEvenInsideTheCallback()
    {
        using var net = new TestNetwork(addresses: false);
        net.Run(() =>
        {
            // Disposed while waiting in poll.
            var idle = PacketCapture.Open(Options(net.InnerB));
            var waiting = Task.Run(() => idle.Capture((in CapturedFrame _) => { }));
            Thread.Sleep(100);
            idle.Dispose();
            Assert.That(waiting.Wait(TimeSpan.FromSeconds(5)), Is.True, "a waiting read returns on dispose");
            Assert.Throws<ObjectDisposedException>(() => idle.Capture((in CapturedFrame _) => { }));
            Assert.Throws<ObjectDisposedException>(() => idle.GetStatistics());
            idle.Stop();

            // Disposed while the callback still reads ring memory: the ring stays mapped until the read returns.
            var busy = PacketCapture.Open(Options(net.InnerB));
            using var entered = new ManualResetEventSlim();
            long sum = 0;
            var reading = Task.Run(() => busy.Capture((in CapturedFrame f) =>
            {
                entered.Set();
                Thread.Sleep(200);
                foreach (var b in f.Data) sum += b;
            }));
            using (var injector = new FrameInjector(net.InnerA))
                for (var i = 0; i < 5; i++) injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 100));
            Assert.That(entered.Wait(TimeSpan.FromSeconds(5)), Is.True, "the callback ran");
            busy.Dispose();
            Assert.That(reading.Wait(TimeSpan.FromSeconds(5)), Is.True);
            Assert.That(reading.Result, Is.EqualTo(1), "the read stopped after the frame being handled");
            Assert.That(sum, Is.GreaterThan(0));
        });
    }

    [Test]
    public void AThousandOpenCaptureCloseCyclesLeaveNoDescriptorOrMappingBehind()
    {
        using var net = new TestNetwork(addresses: false);
        static int Descriptors() => Directory.GetFiles("/proc/self/fd").Length;
        static int Mappings() => File.ReadAllLines("/proc/self/maps").Count(line => line.Contains("socket:", StringComparison.Ordinal));
        var (fdBefore, mapBefore, fdAfter, mapAfter) = net.Run(() =>
        {
            var options = Options(net.InnerB);
            options.RingSize = 64 << 10;
            options.BlockSize = 16 << 10;
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            void Cycle()
            {
                using var capture = PacketCapture.Open(options);
                capture.Capture((in CapturedFrame _) => { }, -1, cancelled.Token);
                _ = capture.GetStatistics();
            }
            using (PacketCapture.Open(options))
                Assert.That(Mappings(), Is.EqualTo(1), "an open capture's ring shows in /proc/self/maps");
            for (var i = 0; i < 20; i++) Cycle();
            GC.Collect();
            var (fd0, map0) = (Descriptors(), Mappings());
            // Closing a packet socket waits for an RCU grace period; ten threads (created here, so inside the
            // namespace) share the waits.
            var threads = Enumerable.Range(0, 10).Select(_ => new Thread(() => { for (var i = 0; i < 100; i++) Cycle(); })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            GC.Collect();
            return (fd0, map0, Descriptors(), Mappings());
        });
        Assert.That(fdAfter, Is.LessThanOrEqualTo(fdBefore + 2), "file descriptors");
        Assert.That(mapBefore, Is.Zero, "no ring is mapped between captures");
        Assert.That(mapAfter, Is.Zero, "ring mappings");
    }

    [Test]
    public void AStalledConsumerMakesTheKernelCountDropsAndTheCountsAddUp()
    {
        using var net = new TestNetwork(addresses: false);
        const int sent = 3000;
        var (delivered, stats) = net.Run(() =>
        {
            var options = Options(net.InnerB);
            options.RingSize = 32 << 10;
            options.BlockSize = 8 << 10;
            using var capture = PacketCapture.Open(options);
            using (var injector = new FrameInjector(net.InnerA))
                for (var i = 0; i < sent; i++) injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 400));
            var frames = LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200)).Count;
            return (frames, capture.GetStatistics());
        });
        Assert.That(stats.DroppedByKernel, Is.GreaterThan(0), "a 32 KiB ring cannot hold 3000 frames");
        Assert.That(stats.Received, Is.EqualTo(sent), "received counts every frame the socket was offered, dropped ones included");
        Assert.That(delivered + stats.DroppedByKernel, Is.EqualTo(sent), "delivered + dropped = sent: nothing vanished silently");
        Assert.That(stats.Delivered, Is.EqualTo(delivered));
    }
}
