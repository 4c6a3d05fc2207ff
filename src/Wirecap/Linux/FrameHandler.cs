namespace Wirecap.Linux;

/// <summary>Receives each captured frame. The frame's data is valid only during the call.</summary>
public delegate void FrameHandler(in CapturedFrame frame);

/// <summary>A frame consumer the JIT can inline: pass a struct implementing this to
/// <see cref="PacketCapture.Capture{THandler}(ref THandler, long, CancellationToken)"/> for the fastest loop.</summary>
public interface IFrameHandler
{
    /// <summary>Called for each captured frame; its data is valid only during the call.</summary>
    void OnFrame(in CapturedFrame frame);
}
