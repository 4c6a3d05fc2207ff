using System.Runtime.InteropServices;
using Wirecap.Linux;
using Wirecap.Linux.Tc;

namespace Wirecap.Bench.Live;

/// <summary>bench/tc-side-by-side.sh's TC peer of <see cref="LiveCount"/>: counts the packets a <see cref="TcCapture"/>
/// at the interface's ingress delivers (the filter expression runs in the TC program) until SIGINT/SIGTERM, then prints
/// "captured N received R dropped D allocated-bytes-per-packet A" as LiveCount does.</summary>
internal static class TcCount
{
    public static void Run(string device, int ringKiB, string? filter)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var capture = TcCapture.Open(new TcCaptureOptions
        {
            Interface = device,
            Direction = PacketDirection.Inbound,
            FilterExpression = filter,
            RingSize = ringKiB * 1024,
            SnapLength = 262_144,
        });
        Console.Error.WriteLine($"listening on {device} (tc ingress, {capture.AttachedWith})");
        var counter = new Counter();
        var before = GC.GetAllocatedBytesForCurrentThread();
        capture.Capture(ref counter, -1, stop.Token);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var stats = capture.GetStatistics();
        Console.WriteLine($"captured {counter.Packets} received {stats.Received} dropped {stats.DroppedByKernel} allocated-bytes-per-packet {(counter.Packets == 0 ? 0 : (double)allocated / counter.Packets):F4}");
    }

    private struct Counter : IFrameHandler
    {
        public long Packets;

        public void OnFrame(in CapturedFrame frame) => Packets++;
    }
}
