using System.Runtime.InteropServices;
using Wirecap.Linux.Probes;

namespace Wirecap.Bench.Ebpf;

/// <summary>
/// bench/probe-rate.sh's capturer: <c>--probe-count NETNS RING_KIB</c> (root) records <c>tp:net:netif_receive_skb</c>
/// for the skbs of namespace NETNS (snap 128, a ring of RING_KIB KiB) through the probe's own event handler (decode and
/// tracking included) until SIGINT/SIGTERM, then prints "captured N received R dropped D" as the live counters do,
/// D being the events the probe could not record because the ring was full.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ProbeCount
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length != 3 || args[0] != "--probe-count") return false;
        Run(args[1], int.Parse(args[2]));
        return true;
    }

    private static void Run(string netns, int ringKiB)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var capture = ProbeCapture.Open(new ProbeCaptureOptions
        {
            Probes = ["tp:net:netif_receive_skb"],
            Netns = netns,
            RingSize = ringKiB * 1024,
            SnapLength = 128,
        });
        Console.Error.WriteLine($"listening on tp:net:netif_receive_skb ({capture.Probes[0].Attachment}) in {netns}");
        long events = 0;
        capture.Capture((in ProbeEvent e) => events++, -1, stop.Token);
        var stats = capture.GetStatistics();
        Console.WriteLine($"captured {events} received {stats.Seen + stats.LostRingFull} dropped {stats.LostRingFull}");
    }
}
