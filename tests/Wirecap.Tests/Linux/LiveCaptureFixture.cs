using Wirecap.Linux;

namespace Wirecap.Tests.Linux;

/// <summary>Shared steps of the live-capture tests: open, inject, collect copies.</summary>
internal static class LiveCapture
{
    /// <summary>Options for a small, quick ring on <paramref name="device"/> (in immediate mode when asked).</summary>
    public static PacketCaptureOptions Options(string device, bool immediate = false) => new()
    {
        Interface = device,
        // Immediate mode's frame slots take 64 KiB each at the full snapshot length: 32 MiB keeps 480 of them.
        RingSize = immediate ? 32 << 20 : 1 << 20,
        BlockSize = immediate ? 1 << 20 : 1 << 16,
        BlockTimeout = TimeSpan.FromMilliseconds(5),
        Immediate = immediate,
    };

    /// <summary>Reads until <paramref name="count"/> frames arrived or <paramref name="timeout"/> passed.</summary>
    public static List<byte[]> Collect(PacketCapture capture, int count, TimeSpan? timeout = null)
    {
        var frames = new List<byte[]>();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        capture.Capture((in CapturedFrame frame) => frames.Add(frame.Data.ToArray()), count, cancel.Token);
        return frames;
    }

    /// <summary>Waits up to 5 s for a first frame (on a loaded machine the veth receive path may run late, in
    /// ksoftirqd), then reads until nothing new arrives for <paramref name="quiet"/>; returns the frames with their metadata.</summary>
    public static List<(byte[] Data, int OriginalLength, LinuxPacketType Type, int InterfaceIndex)> CollectQuiet(PacketCapture capture, TimeSpan quiet)
    {
        var frames = new List<(byte[], int, LinuxPacketType, int)>();
        FrameHandler add = (in CapturedFrame f) => frames.Add((f.Data.ToArray(), f.OriginalLength, f.PacketType, f.InterfaceIndex));
        using (var first = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            capture.Capture(add, 1, first.Token);
        while (true)
        {
            var before = frames.Count;
            using var cancel = new CancellationTokenSource(quiet);
            capture.Capture(add, -1, cancel.Token);
            if (frames.Count == before) return frames;
        }
    }
}
