using Wirecap.Formats;

namespace Wirecap.Linux;

/// <summary>
/// The conveniences every <see cref="ILiveCapture"/> shares, written once over its one read loop,
/// <see cref="ILiveCapture.Capture{THandler}(ref THandler, long, CancellationToken)"/>: a delegate handler, and
/// frames straight into a <see cref="CaptureWriter"/>.
/// </summary>
/// <remarks>
/// Extension methods rather than default interface methods: a default method is reachable only through the
/// interface, so <c>PacketCapture capture; capture.Capture(handler)</c> would stop compiling unless every class
/// re-declared it, which is the repetition this type removes; an extension is found on the concrete types and
/// the interface alike, and a third party's <see cref="ILiveCapture"/> gets it without implementing anything.
/// Each call picks the struct-handler loop specialized for the adapter it passes, so the per-frame code is the
/// same as a hand-written struct handler's (one delegate call per frame), under the JIT and under NativeAOT
/// (whose generic instantiations are all known at compile time). Methods on a static class can be added later
/// without breaking implementers, which a new interface member would.
/// </remarks>
public static class LiveCaptureExtensions
{
    /// <summary>Calls <paramref name="handler"/> for each frame until <paramref name="maxPackets"/> were delivered
    /// (negative: no limit), <see cref="ILiveCapture.Stop"/>, cancellation or dispose; returns, without throwing,
    /// the number delivered. A struct <see cref="IFrameHandler"/> passed to
    /// <see cref="ILiveCapture.Capture{THandler}(ref THandler, long, CancellationToken)"/> saves the delegate call.</summary>
    public static long Capture(this ILiveCapture capture, FrameHandler handler, long maxPackets = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(handler);
        var adapter = new DelegateFrameHandler(handler);
        return capture.Capture(ref adapter, maxPackets, cancellationToken);
    }

    /// <summary>Writes frames straight from the capture to <paramref name="writer"/>, with no copy beyond the
    /// writer's own buffer, until <paramref name="maxPackets"/> were written, <see cref="ILiveCapture.Stop"/> or
    /// cancellation; returns the count written. A frame of point <see cref="CapturedFrame.Point"/> goes to writer
    /// interface <paramref name="interfaceId"/> + point: create the writer with the capture's
    /// <see cref="ILiveCapture.WriterInterfaces"/> so link type and snapshot length match.</summary>
    /// <param name="capture">The capture to read.</param>
    /// <param name="writer">Where the frames go.</param>
    /// <param name="maxPackets">The most frames to write; negative: no limit.</param>
    /// <param name="interfaceId">The writer interface of the capture's first point.</param>
    /// <param name="cancellationToken">Ends the capture.</param>
    public static long CaptureTo(this ILiveCapture capture, CaptureWriter writer, long maxPackets = -1, int interfaceId = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceId);
        var sink = new WriterFrameHandler(writer, interfaceId);
        return capture.Capture(ref sink, maxPackets, cancellationToken);
    }
}
