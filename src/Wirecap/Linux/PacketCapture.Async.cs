using Wirecap.Formats;

namespace Wirecap.Linux;

public sealed partial class PacketCapture
{
    /// <summary>Owned copies of the captured frames, read on a dedicated thread and queued (up to
    /// <paramref name="queueLength"/> packets; when the consumer falls behind, the queue and then the ring fill and
    /// the kernel counts drops — see <see cref="GetStatistics"/>). Ends when <paramref name="cancellationToken"/> is
    /// cancelled (without throwing), on <see cref="Stop"/>, or on dispose.</summary>
    public IAsyncEnumerable<Packet> ReadAllAsync(int queueLength = 4096, CancellationToken cancellationToken = default) =>
        LiveCaptureChannel.ReadAllAsync(this, queueLength, cancellationToken);
}
