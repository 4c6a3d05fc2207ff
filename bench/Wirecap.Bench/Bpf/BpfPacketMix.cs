using System.Buffers.Binary;
using Wirecap.Testing;

namespace Wirecap.Bench.Bpf;

/// <summary>
/// The traffic the classic BPF benchmarks filter: 1024 Ethernet frames (IPv4/IPv6 TCP and UDP,
/// ICMP, ARP, other EtherTypes) from a fixed seed, so the managed benchmarks and the C benchmark
/// over libpcap (which reads them from the pcap file <see cref="WritePcap"/> writes) see the same packets.
/// </summary>
public static class BpfPacketMix
{
    public const int Count = 1024;

    public static byte[][] Frames()
    {
        var random = new Random(2026);
        return Enumerable.Range(0, Count).Select(_ => SampleFrames.Next(random)).ToArray();
    }

    /// <summary>
    /// A large capture of the same kind of traffic for whole-process jobs (filters that keep some and drop some, lines
    /// to print, UDP and ICMP for NCAP): <paramref name="count"/> frames drawn from the mix, 10–200 µs apart. With
    /// <paramref name="frameBytes"/> every frame is made that long (cut, or its payload padded with zeros), for jobs
    /// whose cost depends on the packet size (bench/nats-vs-file.sh).
    /// </summary>
    public static void WriteTraffic(string path, int count, int? frameBytes = null)
    {
        var random = new Random(2026);
        using var writer = Wirecap.Formats.CaptureWriter.Create(path, Wirecap.Formats.CaptureFormat.Pcap);
        long timestamp = 1_700_000_000_000_000_000;
        for (int i = 0; i < count; i++)
        {
            timestamp += random.Next(10_000, 200_000);
            var frame = SampleFrames.Next(random);
            if (frameBytes is { } length && length != frame.Length)
            {
                var sized = new byte[length];
                frame.AsSpan(0, Math.Min(length, frame.Length)).CopyTo(sized);
                frame = sized;
            }
            writer.Write(frame, timestamp);
        }
    }

    /// <summary>Writes the frames as a classic pcap file (microsecond timestamps, LINKTYPE_ETHERNET).</summary>
    public static void WritePcap(string path)
    {
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        file.Write(header);
        Span<byte> record = stackalloc byte[16];
        uint second = 1_700_000_000;
        foreach (var frame in Frames())
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record, second++);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }
    }
}
