using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Wirecap.Formats;

namespace Wirecap.Linux;

public sealed partial class PacketCapture
{
    /// <summary>Owned copies of the captured frames, read on a dedicated thread and queued (up to
    /// <paramref name="queueLength"/> packets; when the consumer falls behind, the queue and then the ring fill and
    /// the kernel counts drops — see <see cref="GetStatistics"/>). Ends when <paramref name="cancellationToken"/> is
    /// cancelled (without throwing), on <see cref="Stop"/>, or on dispose.</summary>
    public async IAsyncEnumerable<Packet> ReadAllAsync(int queueLength = 4096, [EnumeratorCancellation] CancellationToken cancellationToken = default)
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
                Capture(ref sink, -1, pumpStop.Token);
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
            var packet = frame.ToPacket();
            while (!writer.TryWrite(packet))
            {
                if (!writer.WaitToWriteAsync(stop).AsTask().GetAwaiter().GetResult()) return;
            }
        }
    }
}
