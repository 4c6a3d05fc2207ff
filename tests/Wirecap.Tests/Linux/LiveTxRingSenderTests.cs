using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Linux;

/// <summary>native-shims/live_txring.c is the sender of bench/live-ceiling-side-by-side.sh, which trusts what it
/// prints: the frames it says it sent must all arrive, once each, the asked size, spread over the asked flows, and
/// not faster than the asked pace.</summary>
[NonParallelizable]
public partial class LiveTxRingSenderTests
{
    [TestCase(64)]
    [TestCase(1500)]
    public void EveryFrameItReportsArrivesOnceAtTheAskedSizeAndPace(int size)
    {
        using var net = new TestNetwork(addresses: false);
        var sender = NativeShim.Path("live_txring");
        const int rate = 20_000, threads = 2, flows = 8;
        const double seconds = 0.5;
        var (frames, line) = net.Run(() =>
        {
            var options = LiveCapture.Options(net.InnerB);
            options.RingSize = 32 << 20;
            using var capture = PacketCapture.Open(options);
            var printed = net.Exec(string.Create(CultureInfo.InvariantCulture, $"{sender} {net.InnerA} {size} {rate} {seconds} {threads} {flows}"));
            return (LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(300)), printed);
        });

        var report = Report().Match(line);
        Assert.That(report.Success, Is.True, $"the sender's line: {line}");
        Assert.That(int.Parse(report.Groups["sent"].Value, CultureInfo.InvariantCulture), Is.EqualTo((int)(rate * seconds)), line);
        Assert.That(report.Groups["errors"].Value, Is.EqualTo("0"), line);
        Assert.That(double.Parse(report.Groups["seconds"].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(seconds * 0.95),
            "paced: 10,000 frames at 20,000/s take half a second");

        Assert.That(frames.Select(f => f.Data.Length), Is.All.EqualTo(size));
        // Each thread numbers its frames from thread << 28.
        var perThread = (int)(rate * seconds) / threads;
        var expected = Enumerable.Range(0, threads).SelectMany(t => Enumerable.Range(0, perThread).Select(i => (t << 28) + i));
        var sequences = frames.Select(f => BinaryPrimitives.ReadInt32BigEndian(f.Data.AsSpan(42))).Order();
        Assert.That(sequences, Is.EqualTo(expected.Order()), "every frame the sender counted arrived, once");
        var ports = frames.Select(f => (int)BinaryPrimitives.ReadUInt16BigEndian(f.Data.AsSpan(34))).Distinct().Order();
        Assert.That(ports, Is.EqualTo(Enumerable.Range(40000, flows)), "the UDP source port cycles over the flows");
    }

    [GeneratedRegex(@"^sent (?<sent>\d+) in (?<seconds>[\d.]+) seconds \(\d+ pps\) cpu \d+ ns errors (?<errors>\d+) threads 2 \[thread cpu ns: \d+ \d+\]")]
    private static partial Regex Report();
}
