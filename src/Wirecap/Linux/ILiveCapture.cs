using Wirecap.Formats;

namespace Wirecap.Linux;

/// <summary>
/// A live source of frames with their kernel metadata: the AF_PACKET ring (<see cref="PacketCapture"/>), eBPF at TC
/// (<see cref="Tc.TcCapture"/>) and eBPF at tracepoints (<see cref="Probes.ProbeCapture"/>). The NCAP engine
/// (<see cref="Ncap.NcapEngine.AddCapture"/>), the file sinks (<see cref="Sinks.CaptureFileSink.WriteFrom"/>) and the
/// command line take any of them. One thread reads; <see cref="Stop"/>, <see cref="GetStatistics"/> and
/// <see cref="IDisposable.Dispose"/> may come from any thread.
/// </summary>
public interface ILiveCapture : IDisposable
{
    /// <summary>What the capture listens on, as <c>listening on</c> and the metrics name it (an interface name).</summary>
    string InterfaceName { get; }

    /// <summary>The link type every frame's data starts with.</summary>
    LinkType LinkType { get; }

    /// <summary>The most bytes a frame keeps.</summary>
    int SnapLength { get; }

    /// <summary>The capture's points as pcapng interfaces, in the order <see cref="CapturedFrame.Point"/> numbers them
    /// (one for an interface capture, one per probe for a probe capture).</summary>
    IReadOnlyList<CaptureInterface> WriterInterfaces { get; }

    /// <summary>Calls <paramref name="handler"/>'s <see cref="IFrameHandler.OnFrame"/> for each frame, in place, until
    /// <paramref name="maxPackets"/> were delivered (negative: no limit), <see cref="Stop"/>, cancellation or dispose;
    /// returns, without throwing, the number delivered. The loop is specialized for the struct, so the JIT can inline
    /// its call. A delegate (<see cref="LiveCaptureExtensions.Capture"/>) and a writer
    /// (<see cref="LiveCaptureExtensions.CaptureTo"/>) go through this one loop.</summary>
    long Capture<THandler>(ref THandler handler, long maxPackets = -1, CancellationToken cancellationToken = default)
        where THandler : struct, IFrameHandler;

    /// <summary>Owned copies of the frames, read on a dedicated thread through a bounded queue (a slow consumer makes
    /// the kernel side drop and count); ends on cancellation (without throwing), <see cref="Stop"/> or dispose.</summary>
    IAsyncEnumerable<Packet> ReadAllAsync(int queueLength = 4096, CancellationToken cancellationToken = default);

    /// <summary>Counts since the capture was opened, kernel drops included.</summary>
    CaptureStatistics GetStatistics();

    /// <summary>Makes the current read return soon.</summary>
    void Stop();
}
