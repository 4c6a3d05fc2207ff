using Wirecap.Formats;

namespace Wirecap.Bench.Formats;

/// <summary>Writes a large pcap file of Ethernet frames with a realistic mix of sizes.</summary>
public static class PcapFileGenerator
{
    // A typical mix: many small (ACKs, DNS), some mid-size, many full-size frames; mean about 600 bytes.
    private static readonly int[] Sizes = [60, 60, 66, 74, 90, 120, 200, 342, 576, 1000, 1514, 1514, 1514];

    public static void Generate(string path, int packets, TimestampPrecision precision = TimestampPrecision.Microsecond)
    {
        var random = new Random(1);
        var frame = new byte[1514];
        random.NextBytes(frame);
        using var writer = CaptureWriter.Create(path, CaptureFormat.Pcap, new CaptureWriterOptions { Precision = precision });
        long ts = 1_700_000_000_000_000_000;
        for (int i = 0; i < packets; i++)
        {
            int size = Sizes[random.Next(Sizes.Length)];
            ts += random.Next(1_000, 200_000);
            frame[0] = (byte)i;
            writer.Write(frame.AsSpan(0, size), ts);
        }
    }
}
