using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Wirecap.Formats;
using L = Wirecap.Linux.Probes.ProbeEventLayout;

namespace Wirecap.Linux.Probes;

public sealed partial class ProbeCapture
{
    /// <summary>
    /// Delivers events to <paramref name="handler"/> until <paramref name="maxPackets"/> were delivered
    /// (negative: no limit), <see cref="Stop"/> is called or <paramref name="cancellationToken"/> fires.
    /// Returns the number delivered.
    /// </summary>
    public long Capture(ProbeEventHandler handler, long maxPackets = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var consumer = new EventConsumer(this, handler);
        return _source.Read(ref consumer, maxPackets, cancellationToken, nameof(ProbeCapture));
    }

    /// <inheritdoc/>
    /// <remarks>Each event comes as a <see cref="CapturedFrame"/>: its <see cref="CapturedFrame.Point"/> is the probe's
    /// index, its metadata the skb's interface and protocol.</remarks>
    public long Capture<THandler>(ref THandler handler, long maxPackets = -1, CancellationToken cancellationToken = default)
        where THandler : struct, IFrameHandler
    {
        var consumer = new FrameConsumer<THandler>(this, handler);
        try
        {
            return _source.Read(ref consumer, maxPackets, cancellationToken, nameof(ProbeCapture));
        }
        finally
        {
            handler = consumer.Handler;
        }
    }

    /// <summary>Owned packets as they arrive, until cancelled; capture runs on a worker thread with a bounded queue
    /// (when the consumer falls behind, the ring buffer fills and the kernel side counts the loss).</summary>
    public async IAsyncEnumerable<ProbePacket> ReadAllAsync(int queueLength = 4096, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<ProbePacket>(new BoundedChannelOptions(queueLength) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var worker = Task.Factory.StartNew(() =>
        {
            try
            {
                Capture((in ProbeEvent e) => channel.Writer.WriteAsync(e.ToPacket(), stop.Token).AsTask().GetAwaiter().GetResult(), -1, stop.Token);
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
        }, TaskCreationOptions.LongRunning);
        try
        {
            await foreach (var packet in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return packet;
        }
        finally
        {
            stop.Cancel();
            await worker.ConfigureAwait(false);
        }
    }

    IAsyncEnumerable<Packet> ILiveCapture.ReadAllAsync(int queueLength, CancellationToken cancellationToken) =>
        LiveCaptureChannel.ReadAllAsync(this, queueLength, cancellationToken);

    private struct EventConsumer(ProbeCapture capture, ProbeEventHandler handler) : IRingRecordConsumer
    {
        public readonly bool Consume(ReadOnlySpan<byte> record)
        {
            if (!capture.Decode(record, out var probeEvent)) return false;
            handler(probeEvent);
            capture.CountDelivered(probeEvent.Data.Length);
            return true;
        }
    }

    private struct FrameConsumer<THandler>(ProbeCapture capture, THandler handler) : IRingRecordConsumer
        where THandler : struct, IFrameHandler
    {
        public THandler Handler = handler;

        public bool Consume(ReadOnlySpan<byte> record)
        {
            if (!capture.Decode(record, out var e)) return false;
            var metadata = new LinuxPacketMetadata { InterfaceIndex = e.Ifindex, Protocol = e.Protocol, HardwareType = 1, Mark = e.Mark };
            Handler.OnFrame(new CapturedFrame(e.Data, LinkType.Ethernet, e.TimestampNanoseconds, e.OriginalLength, metadata, e.Probe.Id));
            capture.CountDelivered(e.Data.Length);
            return true;
        }
    }

    private void CountDelivered(int bytes)
    {
        Interlocked.Increment(ref _delivered);
        Interlocked.Add(ref _deliveredBytes, bytes);
    }

    private bool Decode(ReadOnlySpan<byte> record, out ProbeEvent probeEvent)
    {
        probeEvent = default;
        if (record.Length < L.Packet) return false;
        Interlocked.Increment(ref _seen);
        uint id = U32(record, L.ProbeId);
        if (id >= (uint)_probes.Length) return false;
        int captured = (int)Math.Min(U32(record, L.CaptureLength), (uint)(record.Length - L.Packet));
        var data = record.Slice(L.Packet, captured);
        ulong kernelTime = BinaryPrimitives.ReadUInt64LittleEndian(record[L.KernelTime..]);
        var tracking = _tracker.Track(BinaryPrimitives.ReadUInt64LittleEndian(record[L.HeadAddress..]), kernelTime, _freesSkb[id]);
        probeEvent = new ProbeEvent(
            data,
            _probes[id],
            _source.Clock.ToUnixNanoseconds(kernelTime),
            (int)Math.Max(U32(record, L.WireLength), (uint)captured),
            BinaryPrimitives.ReadUInt64LittleEndian(record[L.SkbAddress..]),
            kernelTime,
            BinaryPrimitives.ReadUInt64LittleEndian(record[L.SkbTimestamp..]),
            U32(record, L.NetnsInode),
            (int)U32(record, L.Ifindex),
            U32(record, L.Mark),
            BinaryPrimitives.ReadUInt16BigEndian(record[L.Protocol..]),
            (BinaryPrimitives.ReadUInt16LittleEndian(record[L.Flags..]) & L.FlagFakeEthernet) != 0,
            _hasReason[id] ? _dropReasons.NameOf(U32(record, L.DropReason)) : null,
            tracking);
        return true;
    }

    // The record is written by a program on this machine: host byte order, which is little-endian on every 64-bit Linux target .NET runs on.
    private static uint U32(ReadOnlySpan<byte> record, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(record[offset..]);
}
