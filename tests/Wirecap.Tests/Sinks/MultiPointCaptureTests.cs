using Wirecap.Formats;
using Wirecap.Linux;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Sinks;

public class MultiPointCaptureTests
{
    [Test]
    public void TwoInterfacesAndAFileIntoOnePcapngWithOneInterfaceAndCommentPerSource()
    {
        Tool.Require("tshark");
        using var net = new TestNetwork(addresses: false);
        var path = Path.Combine(Path.GetTempPath(), $"multipoint-{Guid.NewGuid():N}.pcapng");
        try
        {
            using (var capture = new MultiPointCapture(path))
            {
                var pointA = capture.AddPoint(net.InnerA, LinkType.Ethernet, "veth end A");
                var pointB = capture.AddPoint(net.InnerB, LinkType.Ethernet, "veth end B");
                var pointFile = capture.AddPoint("replay", LinkType.Ethernet, "frames from a file", comment: "probe=file:replay");

                var (captureA, captureB) = net.Run(() => (
                    PacketCapture.Open(new PacketCaptureOptions { Interface = net.InnerA, Immediate = true }),
                    PacketCapture.Open(new PacketCaptureOptions { Interface = net.InnerB, Immediate = true })));
                using (captureA)
                using (captureB)
                {
                    int seenA = 0, seenB = 0;
                    var loopA = Task.Run(() => captureA.Capture((in CapturedFrame f) => { pointA.Write(AsRecord(f)); Interlocked.Increment(ref seenA); }));
                    var loopB = Task.Run(() => captureB.Capture((in CapturedFrame f) => { pointB.Write(AsRecord(f)); Interlocked.Increment(ref seenB); }));
                    // Both veth ends live in one namespace, so frames are injected on A to cross the link to B.
                    net.Run(() =>
                    {
                        using var injector = new FrameInjector(net.InnerA);
                        for (int i = 0; i < 5; i++) injector.Send(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 20));
                    });
                    var deadline = DateTime.UtcNow.AddSeconds(5);
                    while ((Volatile.Read(ref seenA) < 5 || Volatile.Read(ref seenB) < 5) && DateTime.UtcNow < deadline) Thread.Sleep(10);
                    Thread.Sleep(100); // let any unexpected extra frame arrive too
                    captureA.Stop();
                    captureB.Stop();
                    Task.WaitAll(loopA, loopB);
                }

                byte[] fileFrame = new byte[60];
                fileFrame[12] = 0x88; fileFrame[13] = 0xb5;
                for (int i = 0; i < 3; i++) pointFile.Write(new PacketRecord(fileFrame, 1_700_000_000_000_000_000 + i, 60, LinkType.Ethernet, 0));
            }

            var interfaces = Tool.RunOk("tshark", $"-r \"{path}\" -T fields -e frame.interface_name -e frame.comment -Y \"udp.dstport == 9999 or eth.type == 0x88b5\"")
                .Trim().Split('\n').Select(l => l.Split('\t')).ToList();
            var listing = string.Join("\n", interfaces.Select(l => string.Join(" | ", l)));
            Assert.That(interfaces.Count(l => l[0] == net.InnerA && l[1] == $"point={net.InnerA}"), Is.EqualTo(5), "each UDP datagram leaving A\n" + listing);
            Assert.That(interfaces.Count(l => l[0] == net.InnerB && l[1] == $"point={net.InnerB}"), Is.EqualTo(5), "each UDP datagram arriving at B\n" + listing);
            Assert.That(interfaces.Count(l => l[0] == "replay" && l[1] == "probe=file:replay"), Is.EqualTo(3));
            var capinfos = Tool.RunOk("capinfos", $"-I \"{path}\"");
            Assert.That(capinfos, Does.Match(@"Number of interfaces in file:\s+3\b"), capinfos);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static PacketRecord AsRecord(in CapturedFrame frame) =>
        new(frame.Data, frame.TimestampNanoseconds, frame.OriginalLength, LinkType.Ethernet, 0);
}
