using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;

namespace Wirecap.Bench.Ncap;

/// <summary>
/// Modes used by bench/ncap-side-by-side.sh:
///   ncap-generate FILE COUNT   a pcap of Ethernet/IPv4/UDP DNS-sized datagrams (some ARP), what ncaptool decodes
///   ncap-engine FILE [SPEC]    pcap source → decode → NCAP filter SPEC → NCAP writing to a null stream, timed;
///                              prints "messages N ns T allocated A" (warm-up run first).
/// </summary>
public static class NcapEngineCommand
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length >= 3 && args[0] == "ncap-generate")
        {
            Generate(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
            return true;
        }
        if (args.Length >= 2 && args[0] == "ncap-engine")
        {
            string? spec = args.Length > 2 ? args[2] : null;
            Run(args[1], spec);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            long messages = Run(args[1], spec);
            watch.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"messages {messages} ns {(long)(watch.Elapsed.TotalMilliseconds * 1_000_000)} allocated {allocated}"));
            return true;
        }
        return false;
    }

    private static long Run(string path, string? spec)
    {
        // Decode what ncaptool decodes (UDP, ICMP) so both do the same work.
        using var engine = new NcapEngine(new NcapEngineOptions { Conversion = Wirecap.Decoding.NcapConversionOptions.Ncaptool });
        if (spec is not null) engine.SetFilter(spec);
        engine.AddCaptureFile(path);
        var output = Stream.Null;
        NcapEngine.WriteHeader(output);
        return engine.Collect((in NcapRecord m, NcapSource _) => engine.Write(m, output));
    }

    private static void Generate(string path, int count)
    {
        var random = new Random(1);
        using var writer = CaptureWriter.Create(path, CaptureFormat.Pcap);
        var frame = new byte[1514];
        long ts = 1_700_000_000_000_000_000;
        for (int i = 0; i < count; i++)
        {
            ts += random.Next(1_000, 100_000);
            int length = i % 10 == 9 ? Arp(frame) : Udp(frame, random, i);
            writer.Write(frame.AsSpan(0, length), ts);
        }
    }

    private static int Arp(Span<byte> frame)
    {
        frame[..42].Clear();
        frame[..6].Fill(0xff);
        frame[12] = 0x08; frame[13] = 0x06;
        return 42;
    }

    private static int Udp(Span<byte> frame, Random random, int i)
    {
        int payload = random.Next(2) == 0 ? random.Next(30, 60) : random.Next(60, 512); // queries and responses
        int length = 14 + 20 + 8 + payload;
        frame[..14].Clear();
        frame[12] = 0x08;
        var ip = frame.Slice(14, 20);
        ip.Clear();
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload));
        ip[8] = 64;
        ip[9] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], 0x0a000000u | (uint)(i & 0xffff));
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], 0x0a010001);
        var udp = frame.Slice(34, 8 + payload);
        bool query = (i & 1) == 0;
        BinaryPrimitives.WriteUInt16BigEndian(udp, query ? (ushort)(10000 + i % 50000) : (ushort)53);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], query ? (ushort)53 : (ushort)(10000 + i % 50000));
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload));
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);
        random.NextBytes(udp[8..]);
        udp[10] = (byte)(query ? 0x01 : 0x81); // DNS flags: RD, or QR|RD
        return length;
    }
}
