using NUnit.Framework;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Linux;
using Wirecap.Linux.Tc;
using Wirecap.Ncap;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Linux.Tc.TcTestSupport;

namespace Wirecap.Tests.Linux.Tc;

/// <summary>A TcCapture wherever a live capture goes: the NCAP engine and the file sink take any <see cref="ILiveCapture"/>.</summary>
[NonParallelizable]
public class TcConsumersTests
{
    [Test]
    public void TheEngineTurnsATcCapturesFramesIntoMessages()
    {
        using var net = new TestNetwork(addresses: false);
        using var engine = new NcapEngine();
        var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, Direction = PacketDirection.Inbound, FilterExpression = "udp" });
        var source = engine.AddCapture(capture, new NcapSourceOptions { User1 = new NcapUserStamp(NcapUserOperation.Set, 7) });
        Assert.That(source.Description, Is.EqualTo("if " + net.InnerB));
        var ports = new List<ushort>();
        var collect = Task.Factory.StartNew(() => engine.Collect((in NcapRecord m, NcapSource s) =>
        {
            lock (ports) ports.Add(m.DestinationPort);
            Assert.That(m.User1, Is.EqualTo(7u));
            if (ports.Count == 3) engine.Stop();
        }), TaskCreationOptions.LongRunning);
        net.Run(() =>
        {
            using var intoB = new FrameInjector(net.InnerA);
            for (int i = 0; i < 3; i++)
            {
                intoB.Send(TestFrames.Tcp(TestFrames.MacB, TestFrames.MacA, i, 10));
                intoB.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 16, destinationPort: (ushort)(5300 + i)));
            }
        });
        Assert.That(collect.Wait(15_000), Is.True, "three UDP messages arrive");
        Assert.That(ports, Is.EqualTo(new ushort[] { 5300, 5301, 5302 }));
        engine.Drop(source);
        Assert.That(WaitForTcxDetached(net, net.InnerB), Is.Empty, "the engine disposed the capture it owned");
    }

    [Test]
    public void AFileSinkWritesATcCaptureAsItsWriterInterface()
    {
        using var net = new TestNetwork(addresses: false);
        var path = Path.Combine(Path.GetTempPath(), $"wirecap-tc-sink-{Guid.NewGuid():N}.pcapng");
        try
        {
            using var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, SnapLength = 60 });
            var frames = new[]
            {
                TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 100),
                TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 2, 10),
            };
            net.Run(() =>
            {
                using var intoB = new FrameInjector(net.InnerA);
                foreach (var frame in frames) intoB.Send(frame);
            });
            long written;
            using (var sink = new CaptureFileSink(path, new CaptureFileSinkOptions
            {
                Format = CaptureFormat.PcapNg,
                Writer = new CaptureWriterOptions { LinkType = capture.LinkType, SnapLength = capture.SnapLength, Interfaces = [.. ((ILiveCapture)capture).WriterInterfaces] },
            }))
            {
                using var timeout = new CancellationTokenSource(5000);
                written = sink.WriteFrom(capture, 2, timeout.Token);
            }
            Assert.That(written, Is.EqualTo(2));
            using var reader = CaptureReader.Open(path);
            var read = new List<byte[]>();
            var lengths = new List<int>();
            while (reader.Read())
            {
                read.Add(reader.Current.Data.ToArray());
                lengths.Add(reader.Current.OriginalLength);
            }
            FrameAssert.Same(frames.Select(f => f.Length > 60 ? f[..60] : f).ToList(), read, "the frames, cut to 60 bytes");
            Assert.That(lengths, Is.EqualTo(frames.Select(f => f.Length)));
            Assert.That(reader.Interfaces[0].Name, Is.EqualTo(net.InnerB));
            Assert.That(reader.Interfaces[0].SnapLength, Is.EqualTo(60));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
