using System.Runtime.InteropServices;
using Wirecap.Linux;

namespace Wirecap.Bench.Live;

/// <summary>bench/live-side-by-side.sh's peer of native-shims/live_pcap_count.c: counts packets on an interface
/// with one socket or a fanout group of several (one thread each) until SIGINT/SIGTERM, then prints
/// "captured N received R dropped D allocated-bytes-per-packet A". A filter expression runs in the kernel (SO_ATTACH_FILTER).</summary>
internal static class LiveCount
{
    public static void Run(string device, int ringKiB, int sockets, string? filter = null)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var captures = Enumerable.Range(0, sockets).Select(_ => PacketCapture.Open(new PacketCaptureOptions
        {
            Interface = device,
            RingSize = (long)ringKiB * 1024 / sockets,
            BlockSize = 256 << 10,
            FilterExpression = filter,
            Fanout = sockets > 1 ? new FanoutOptions(GroupId: 777, Mode: FanoutMode.Hash, RolloverWhenFull: false) : null,
        })).ToList();
        var counts = new long[sockets];
        var allocated = new long[sockets];
        var threads = captures.Select((capture, i) => new Thread(() =>
        {
            var counter = new Counter();
            var before = GC.GetAllocatedBytesForCurrentThread();
            capture.Capture(ref counter, -1, stop.Token);
            allocated[i] = GC.GetAllocatedBytesForCurrentThread() - before;
            counts[i] = counter.Packets;
        })).ToList();
        Console.Error.WriteLine($"listening on {device} with {sockets} socket(s)");
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        long received = 0, dropped = 0;
        foreach (var capture in captures)
        {
            var stats = capture.GetStatistics();
            received += stats.Received;
            dropped += stats.DroppedByKernel;
            capture.Dispose();
        }
        var total = counts.Sum();
        Console.WriteLine($"captured {total} received {received} dropped {dropped} allocated-bytes-per-packet {(total == 0 ? 0 : (double)allocated.Sum() / total):F4}");
    }

    private struct Counter : IFrameHandler
    {
        public long Packets;

        public void OnFrame(in CapturedFrame frame) => Packets++;
    }
}
