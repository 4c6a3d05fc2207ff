using Wirecap.Formats;
using Wirecap.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Linux;

/// <summary>The delegate and writer conveniences, over a capture of our own: any <see cref="ILiveCapture"/> gets them
/// from its one struct-handler loop.</summary>
public class LiveCaptureExtensionsTests
{
    [Test]
    public void ADelegateSeesEveryFrameOfAnyCaptureUpToTheLimit()
    {
        using ILiveCapture capture = new ScriptedCapture(points: 2, frames: 5);
        var seen = new List<(byte First, int Point)>();
        long delivered = capture.Capture((in CapturedFrame frame) => seen.Add((frame.Data[0], frame.Point)), maxPackets: 4);

        Assert.That(delivered, Is.EqualTo(4));
        Assert.That(seen, Is.EqualTo(new[] { ((byte)0, 0), ((byte)1, 1), ((byte)2, 0), ((byte)3, 1) }));
        Assert.Throws<ArgumentNullException>(() => capture.Capture(null!));
    }

    [Test]
    public void TheWriterGetsEachFrameOnTheInterfaceOfItsPoint()
    {
        using var capture = new ScriptedCapture(points: 2, frames: 5);
        var stream = new MemoryStream();
        using (var writer = CaptureWriter.Create(stream, CaptureFormat.PcapNg, new CaptureWriterOptions
               {
                   LinkType = LinkType.Ethernet,
                   Interfaces = [new CaptureInterface { Name = "other", LinkType = LinkType.Ethernet }, .. ((ILiveCapture)capture).WriterInterfaces],
               }))
            Assert.That(capture.CaptureTo(writer, interfaceId: 1), Is.EqualTo(5));

        using var reader = CaptureReader.Open(new MemoryStream(stream.ToArray()));
        var read = new List<(byte First, int Interface, string? Name)>();
        while (reader.Read()) read.Add((reader.Current.Data[0], reader.Current.InterfaceId, reader.Interfaces[reader.Current.InterfaceId].Name));
        Assert.That(read, Is.EqualTo(new[] { ((byte)0, 1, "p0"), ((byte)1, 2, "p1"), ((byte)2, 1, "p0"), ((byte)3, 2, "p1"), ((byte)4, 1, "p0") }));
    }

    /// <summary>Frames 0, 1, 2... (each 60 bytes starting with its number), alternating over <c>points</c> points.</summary>
    private sealed class ScriptedCapture(int points, int frames) : ILiveCapture
    {
        private readonly byte[] _frame = new byte[60];
        private long _delivered;

        public string InterfaceName => "scripted";
        public LinkType LinkType => LinkType.Ethernet;
        public int SnapLength => 65535;
        public IReadOnlyList<CaptureInterface> WriterInterfaces =>
            Enumerable.Range(0, points).Select(p => new CaptureInterface { Name = $"p{p}", LinkType = LinkType.Ethernet, SnapLength = SnapLength }).ToArray();

        public long Capture<THandler>(ref THandler handler, long maxPackets = -1, CancellationToken cancellationToken = default)
            where THandler : struct, IFrameHandler
        {
            long count = 0;
            for (int i = 0; i < frames && (maxPackets < 0 || count < maxPackets); i++, count++)
            {
                _frame[0] = (byte)i;
                handler.OnFrame(new CapturedFrame(_frame, LinkType, 1_000_000_000L * i, _frame.Length, default, i % points));
            }
            _delivered += count;
            return count;
        }

        public IAsyncEnumerable<Packet> ReadAllAsync(int queueLength = 4096, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
        public CaptureStatistics GetStatistics() => new(_delivered, 0, 0, _delivered);
        public void Stop() { }
        public void Dispose() { }
    }
}
