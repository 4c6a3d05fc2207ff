using System.Buffers.Binary;
using Wirecap.Formats;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Wirecap.Tests.Sinks;

public class CaptureFileSinkTests : TempDirectoryFixture
{
    /// <summary>A 100-byte frame carrying its sequence number at offset 14, so loss and duplication are visible.</summary>
    private static byte[] Frame(int sequence)
    {
        var frame = new byte[100];
        frame[12] = 0x88; frame[13] = 0xb5; // local experimental ethertype
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(14), sequence);
        return frame;
    }

    private static List<int> Sequences(string path)
    {
        using var reader = CaptureReader.Open(path);
        var result = new List<int>();
        while (reader.Read()) result.Add(BinaryPrimitives.ReadInt32BigEndian(reader.Current.Data[14..]));
        return result;
    }

    private static void AssertValidForCapinfos(string path, int packets)
    {
        Tool.Require("capinfos");
        var output = Tool.RunOk("capinfos", $"-c -M \"{path}\"");
        Assert.That(output, Does.Match($@"Number of packets:\s+{packets}\b"), output);
    }

    [Test]
    public void SizeRotationSplitsWithoutLossOrDuplicationAndNamesLikeTcpdump()
    {
        var closed = new List<string>();
        var path = Path.Combine(TempDir, "cap.pcap");
        using (var sink = new CaptureFileSink(path, new CaptureFileSinkOptions
        {
            Format = CaptureFormat.Pcap,
            Rotation = new RotationOptions { MaxFileBytes = 5_000 },
            FileClosed = closed.Add,
        }))
        {
            for (int i = 0; i < 500; i++) Assert.That(sink.Write(Frame(i), 1_700_000_000_000_000_000 + i * 1000L), Is.True);
        }
        Assert.That(closed[0], Is.EqualTo(path));
        Assert.That(closed.Skip(1), Is.EqualTo(Enumerable.Range(1, closed.Count - 1).Select(n => path + n)));
        var all = closed.SelectMany(Sequences).ToList();
        Assert.That(all, Is.EqualTo(Enumerable.Range(0, 500)));
        foreach (var file in closed)
        {
            Assert.That(new FileInfo(file).Length, Is.LessThanOrEqualTo(5_000 + 116), "over the limit by at most one packet");
            AssertValidForCapinfos(file, Sequences(file).Count);
        }
    }

    [Test]
    public void FileCountWithSizeMakesARingOfZeroPaddedNames()
    {
        var closed = new List<string>();
        var path = Path.Combine(TempDir, "ring.pcapng");
        using (var sink = new CaptureFileSink(path, new CaptureFileSinkOptions
        {
            Format = CaptureFormat.PcapNg,
            Rotation = new RotationOptions { MaxFileBytes = 3_000, FileCount = 12 },
            FileClosed = closed.Add,
        }))
        {
            for (int i = 0; i < 1000; i++) sink.Write(Frame(i), i * 1000L);
        }
        var names = Directory.GetFiles(TempDir).Select(Path.GetFileName).Order().ToList();
        Assert.That(names, Is.EqualTo(Enumerable.Range(0, 12).Select(n => $"ring.pcapng{n:D2}")));
        Assert.That(closed.Count, Is.GreaterThan(12), "the ring wrapped");
        // The files that survive hold the most recent packets, contiguous and in order.
        var survivors = closed.TakeLast(12).SelectMany(Sequences).ToList();
        Assert.That(survivors, Is.EqualTo(Enumerable.Range(1000 - survivors.Count, survivors.Count)));
        foreach (var file in closed.TakeLast(12)) AssertValidForCapinfos(file, Sequences(file).Count);
    }

    [Test]
    public void TimeRotationUsesStrftimeNamesAndStopsAtTheFileCount()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        var closed = new List<string>();
        var pattern = Path.Combine(TempDir, "cap-%Y%m%d-%H%M%S.pcap");
        using var sink = new CaptureFileSink(pattern, new CaptureFileSinkOptions
        {
            Format = CaptureFormat.Pcap,
            Rotation = new RotationOptions { Interval = TimeSpan.FromMinutes(1), FileCount = 2 },
            FileClosed = closed.Add,
            Time = clock,
        });
        Assert.That(sink.Write(Frame(0), 0), Is.True);
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.That(sink.Write(Frame(1), 1), Is.True);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(sink.Write(Frame(2), 2), Is.True);
        Assert.That(closed, Is.EqualTo(new[] { Path.Combine(TempDir, "cap-20261122-120000.pcap") }));
        Assert.That(sink.CurrentPath, Is.EqualTo(Path.Combine(TempDir, "cap-20261122-120100.pcap")));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(sink.Write(Frame(3), 3), Is.False, "-G with -W: stop after the second file");
        Assert.That(sink.IsFinished, Is.True);
        Assert.That(Sequences(closed[0]), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(Sequences(closed[1]), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void EveryPacketPolicyPutsEachPacketOnDiskAsItIsWritten()
    {
        var path = Path.Combine(TempDir, "live.pcap");
        using var sink = new CaptureFileSink(path, new CaptureFileSinkOptions { Format = CaptureFormat.Pcap, Flush = FlushPolicy.EveryPacket });
        for (int i = 0; i < 5; i++)
        {
            sink.Write(Frame(i), i);
            Assert.That(SequencesWhileOpen(path), Is.EqualTo(Enumerable.Range(0, i + 1)));
        }
    }

    [Test]
    public void BufferedPolicyHoldsPacketsUntilTheIntervalFlush()
    {
        var clock = new FakeTimeProvider();
        var path = Path.Combine(TempDir, "interval.pcap");
        using var sink = new CaptureFileSink(path, new CaptureFileSinkOptions
        {
            Format = CaptureFormat.Pcap,
            Flush = new FlushPolicy { Interval = TimeSpan.FromSeconds(1) },
            Time = clock,
        });
        sink.Write(Frame(7), 0);
        Assert.That(SequencesWhileOpen(path), Is.Empty, "nothing flushed yet, but the header is there");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(SequencesWhileOpen(path), Is.EqualTo(new[] { 7 }));
    }

    [Test]
    public void PacketCountAndByteLimitsTriggerFlushes()
    {
        var path = Path.Combine(TempDir, "count.pcap");
        using var sink = new CaptureFileSink(path, new CaptureFileSinkOptions
        {
            Format = CaptureFormat.Pcap,
            Flush = new FlushPolicy { Packets = 3, Bytes = 1_000_000 },
        });
        sink.Write(Frame(0), 0);
        sink.Write(Frame(1), 0);
        Assert.That(SequencesWhileOpen(path), Is.Empty);
        sink.Write(Frame(2), 0);
        Assert.That(SequencesWhileOpen(path), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void InvalidRotationIsRefused()
    {
        var path = Path.Combine(TempDir, "x.pcap");
        Assert.Throws<ArgumentException>(() => new CaptureFileSink(path, new CaptureFileSinkOptions { Rotation = new RotationOptions { FileCount = 3 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CaptureFileSink(path, new CaptureFileSinkOptions { Rotation = new RotationOptions { MaxFileBytes = 0 } }));
    }

    private static List<int> SequencesWhileOpen(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = CaptureReader.Open(stream);
        var result = new List<int>();
        while (reader.Read()) result.Add(BinaryPrimitives.ReadInt32BigEndian(reader.Current.Data[14..]));
        return result;
    }
}
