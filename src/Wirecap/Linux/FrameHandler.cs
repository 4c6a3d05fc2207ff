namespace Wirecap.Linux;

/// <summary>Receives each captured frame. The frame's data is valid only during the call.</summary>
public delegate void FrameHandler(in CapturedFrame frame);

/// <summary>A frame consumer the JIT can inline: pass a struct implementing this to
/// <see cref="ILiveCapture.Capture{THandler}(ref THandler, long, CancellationToken)"/> for the fastest loop.</summary>
public interface IFrameHandler
{
    /// <summary>Called for each captured frame; its data is valid only during the call.</summary>
    void OnFrame(in CapturedFrame frame);
}

/// <summary>A <see cref="FrameHandler"/> delegate as a struct handler, for the captures' generic read loops.</summary>
internal readonly struct DelegateFrameHandler(FrameHandler handler) : IFrameHandler
{
    public void OnFrame(in CapturedFrame frame) => handler(frame);
}

/// <summary>Writes each frame to a capture writer as interface <c>firstInterface</c> + its point, with the pcapng
/// flags its packet type gives.</summary>
internal readonly struct WriterFrameHandler(Formats.CaptureWriter writer, int firstInterface) : IFrameHandler
{
    public void OnFrame(in CapturedFrame frame) => writer.Write(frame.ToRecord(firstInterface + frame.Point));
}
