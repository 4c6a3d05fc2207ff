using Wirecap.Ebpf;
using Wirecap.Linux;
using Wirecap.Linux.Tc;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Linux.Tc;

/// <summary>Shared pieces of the TC capture tests.</summary>
internal static class TcTestSupport
{
    /// <summary>Opens a TC capture on a device of <paramref name="net"/> (in its namespace).</summary>
    public static TcCapture Open(TestNetwork net, TcCaptureOptions options) => net.Run(() => TcCapture.Open(options));

    /// <summary>Reads what the capture holds (or gets within <paramref name="settleMs"/>), as owned packets with their metadata.</summary>
    public static List<(byte[] Data, int OriginalLength, LinuxPacketMetadata Metadata)> Drain(ILiveCapture capture, int expected, int settleMs = 2000)
    {
        var frames = new List<(byte[], int, LinuxPacketMetadata)>();
        using var timeout = new CancellationTokenSource(settleMs);
        capture.Capture((in CapturedFrame f) => frames.Add((f.Data.ToArray(), f.OriginalLength, f.Metadata)), expected, timeout.Token);
        return frames;
    }

    /// <summary>The ids of the programs attached through tcx at the device's ingress and egress (our own enumeration).</summary>
    public static uint[] TcxPrograms(TestNetwork net, string device) => net.Run(() =>
    {
        int index = net.IndexOf(device);
        return EbpfAttachments.Query(index, EbpfAttachType.TcxIngress).Concat(EbpfAttachments.Query(index, EbpfAttachType.TcxEgress)).ToArray();
    });

    /// <summary>Waits (up to 5 s) until no tcx program is attached to the device, for detachments that follow an
    /// asynchronous end (a killed process, a dropped engine source); returns what is still attached.</summary>
    public static uint[] WaitForTcxDetached(TestNetwork net, string device)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (TcxPrograms(net, device).Length > 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        return TcxPrograms(net, device);
    }

    /// <summary>What <c>tc filter show</c> lists at the device's ingress and egress.</summary>
    public static string ClsactFilters(TestNetwork net, string device) =>
        net.TryExec($"tc filter show dev {device} ingress; tc filter show dev {device} egress").StdOut;

    /// <summary>The qdiscs of the device.</summary>
    public static string Qdiscs(TestNetwork net, string device) => net.Exec($"tc qdisc show dev {device}");

    /// <summary>An 802.1Q-tagged copy of an Ethernet frame.</summary>
    public static byte[] Tagged(byte[] frame, ushort tci)
    {
        var tagged = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(tagged);
        tagged[12] = 0x81;
        tagged[13] = 0x00;
        tagged[14] = (byte)(tci >> 8);
        tagged[15] = (byte)tci;
        frame.AsSpan(12).CopyTo(tagged.AsSpan(16));
        return tagged;
    }
}
