using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Wirecap.Formats;

namespace Wirecap.Linux;

/// <summary><see cref="ILiveCapture.ReadAllAsync"/> for every live capture: the capture's read loop on a dedicated
/// thread copies each frame into a bounded channel the caller's iteration drains.</summary>
internal static class LiveCaptureChannel
{
    public static async IAsyncEnumerable<Packet> ReadAllAsync(ILiveCapture capture, int queueLength,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueLength, 1);
        var channel = Channel.CreateBounded<Packet>(new BoundedChannelOptions(queueLength)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Factory.StartNew(() =>
        {
            try
            {
                var sink = new ChannelSink(channel.Writer, pumpStop.Token);
                capture.Capture(ref sink, -1, pumpStop.Token);
                channel.Writer.TryComplete();
            }
            catch (OperationCanceledException)
            {
                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                if (!more) yield break;
                while (channel.Reader.TryRead(out var packet)) yield return packet;
            }
        }
        finally
        {
            pumpStop.Cancel();
            await pump.ConfigureAwait(false);
        }
    }

    private readonly struct ChannelSink(ChannelWriter<Packet> writer, CancellationToken stop) : IFrameHandler
    {
        public void OnFrame(in CapturedFrame frame)
        {
            var packet = frame.ToPacket(frame.Point);
            while (!writer.TryWrite(packet))
            {
                if (!writer.WaitToWriteAsync(stop).AsTask().GetAwaiter().GetResult()) return;
            }
        }
    }
}
