using Wirecap.Formats;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

[NonParallelizable]
public class ConsumptionTests(RingKind ring) : EachRingFixture(ring)
{
    [Test]
    public void OwnedPacketsArriveThroughAnAsyncStreamThatEndsOnCancellation()
    {
        using var net = new TestNetwork(addresses: false);
        var sent = Enumerable.Range(0, 20).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 50 + i)).ToList();
        var received = net.Run(() =>
        {
            using var capture = PacketCapture.Open(Options(net.InnerB));
            using (var injector = new FrameInjector(net.InnerA))
                foreach (var frame in sent) injector.Send(frame);
            return Task.Run(async () =>
            {
                var packets = new List<Packet>();
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await foreach (var packet in capture.ReadAllAsync(cancellationToken: cancel.Token))
                {
                    packets.Add(packet);
                    if (packets.Count == sent.Count) cancel.CancelAfter(100);
                }
                return packets;
            }).GetAwaiter().GetResult();
        });
        FrameAssert.Same(sent, received.Select(p => p.Data.ToArray()).ToList(), "owned copies");
        Assert.That(received.All(p => p.LinkType == LinkType.Ethernet && p.Direction == PacketDirection.Inbound));
        Assert.That(received.Select(p => p.TimestampNanoseconds), Is.Ordered);
        Assert.That(received[0].Timestamp, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
    }

    [TestCase(CaptureFormat.Pcap)]
    [TestCase(CaptureFormat.PcapNg)]
    public void FramesGoStraightFromTheRingIntoACaptureFile(CaptureFormat format)
    {
        using var net = new TestNetwork(addresses: false);
        var sent = Enumerable.Range(0, 20).Select(i => TestFrames.Tcp(TestFrames.MacB, TestFrames.MacA, i, 10 * i)).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"capture-live-{Guid.NewGuid():N}.{format}");
        try
        {
            var written = net.Run(() =>
            {
                using var capture = PacketCapture.Open(Options(net.InnerB));
                using var writer = CaptureWriter.Create(path, format, new CaptureWriterOptions
                {
                    LinkType = capture.LinkType,
                    SnapLength = capture.SnapLength,
                    Precision = TimestampPrecision.Nanosecond,
                    Interfaces = [capture.WriterInterface],
                });
                using (var injector = new FrameInjector(net.InnerA))
                    foreach (var frame in sent) injector.Send(frame);
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                return capture.CaptureTo(writer, sent.Count, cancellationToken: cancel.Token);
            });
            Assert.That(written, Is.EqualTo(sent.Count));
            var read = new List<byte[]>();
            using (var reader = CaptureReader.Open(path))
                while (reader.Read()) read.Add(reader.Current.Data.ToArray());
            FrameAssert.Same(sent, read, "frames read back");
            Tool.Require("tcpdump");
            var (code, output, _) = Tool.Run("tcpdump", $"-nr {path}");
            Assert.That(code, Is.Zero);
            Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(sent.Count), "tcpdump reads the file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void InterfaceListingShowsTheTestPairWithItsState()
    {
        using var net = new TestNetwork();
        net.Exec($"ip link set {net.InnerA} mtu 1400");
        net.Exec($"ip link set {net.InnerB} down");
        var devices = net.Run(CaptureDevices.List);
        var a = devices.Single(d => d.Name == net.InnerA);
        var b = devices.Single(d => d.Name == net.InnerB);
        var lo = devices.Single(d => d.Name == "lo");
        Assert.That(a.Index, Is.EqualTo(net.IndexOf(net.InnerA)));
        Assert.That(a.LinkType, Is.EqualTo(LinkType.Ethernet));
        Assert.That(a.Mtu, Is.EqualTo(1400));
        Assert.That(a.IsUp, Is.True);
        Assert.That(a.Addresses.Select(x => x.ToString()), Does.Contain(net.AddressA));
        Assert.That(a.HardwareAddress, Has.Length.EqualTo(6));
        Assert.That(b.IsUp, Is.False);
        Assert.That(b.IsRunning, Is.False);
        Assert.That(lo.IsLoopback, Is.True);
        Assert.That(lo.Index, Is.EqualTo(1));
        Assert.That(devices.Select(d => d.Index), Is.Ordered);
    }
}
