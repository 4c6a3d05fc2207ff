using System.Buffers.Binary;
using Wirecap.Formats;
using L = Wirecap.Linux.Tc.TcRecordLayout;

namespace Wirecap.Linux.Tc;

public sealed partial class TcCapture
{
    private readonly ushort _hardwareType;
    private readonly bool _reinsertVlanTags;
    private byte[]? _scratch;
    private long _seen, _delivered, _deliveredBytes, _droppedByFilter;

    /// <inheritdoc/>
    public long Capture<THandler>(ref THandler handler, long maxPackets = -1, CancellationToken cancellationToken = default)
        where THandler : struct, IFrameHandler
    {
        var consumer = new Consumer<THandler>(this, handler);
        try
        {
            return _source.Read(ref consumer, maxPackets, cancellationToken, $"the TC capture on '{InterfaceName}'");
        }
        finally
        {
            handler = consumer.Handler;
        }
    }

    /// <inheritdoc cref="ILiveCapture.ReadAllAsync"/>
    public IAsyncEnumerable<Packet> ReadAllAsync(int queueLength = 4096, CancellationToken cancellationToken = default) =>
        LiveCaptureChannel.ReadAllAsync(this, queueLength, cancellationToken);

    /// <summary>This capture as a pcapng interface: its name, link type, snap length, nanosecond resolution.</summary>
    public CaptureInterface WriterInterface => new()
    {
        Name = InterfaceName,
        LinkType = LinkType,
        SnapLength = SnapLength,
        TimestampResolution = 9,
        Description = $"Wirecap TC capture ({AttachedWith}, {Direction})",
    };

    IReadOnlyList<CaptureInterface> ILiveCapture.WriterInterfaces => [WriterInterface];

    /// <summary>Counts since the capture was opened: records read and lost (a full ring, a failed copy) in the kernel
    /// as received, the losses as kernel drops, packets a filter run here rejected as filter drops.</summary>
    /// <exception cref="ObjectDisposedException">The capture is closed.</exception>
    public CaptureStatistics GetStatistics() =>
        TryGetStatistics(out var statistics) ? statistics : throw new ObjectDisposedException(nameof(TcCapture), $"the TC capture on '{InterfaceName}' is closed");

    /// <summary>Like <see cref="GetStatistics"/>, false once the capture is closed (for metrics read on another thread).</summary>
    internal bool TryGetStatistics(out CaptureStatistics statistics)
    {
        lock (_gate)
        {
            statistics = default;
            if (_disposed) return false;
            long lost = _source.Counter(L.CounterRingFull) + _source.Counter(L.CounterCopyFailed);
            statistics = new CaptureStatistics(Volatile.Read(ref _seen) + lost, lost, Volatile.Read(ref _droppedByFilter), Volatile.Read(ref _delivered))
            {
                DeliveredBytes = Volatile.Read(ref _deliveredBytes),
            };
            return true;
        }
    }

    /// <summary>Turns one record into a frame and hands it over; false when it is malformed or the filter rejects it.</summary>
    private bool Deliver<THandler>(ReadOnlySpan<byte> record, ref THandler handler) where THandler : struct, IFrameHandler
    {
        if (record.Length < L.Packet) return false;
        _seen++;
        int captured = (int)Math.Min(U32(record, L.CaptureLength), (uint)(record.Length - L.Packet));
        var data = record.Slice(L.Packet, captured);
        int original = (int)Math.Max(U32(record, L.WireLength), (uint)captured);
        bool egress = record[L.Direction] == L.DirectionEgress;
        bool hasVlan = record[L.VlanPresent] != 0;
        var metadata = new LinuxPacketMetadata
        {
            Protocol = BinaryPrimitives.ReadUInt16BigEndian(record[L.Protocol..]),
            PacketType = egress ? LinuxPacketType.Outgoing : (LinuxPacketType)record[L.PacketType],
            InterfaceIndex = (int)U32(record, L.Ifindex),
            HardwareType = _hardwareType,
            ReceiveHash = U32(record, L.Hash),
            Mark = U32(record, L.Mark),
            HasVlan = hasVlan,
            VlanTci = hasVlan ? BinaryPrimitives.ReadUInt16LittleEndian(record[L.VlanTci..]) : (ushort)0,
            VlanTpid = hasVlan ? BinaryPrimitives.ReadUInt16BigEndian(record[L.VlanProto..]) : (ushort)0,
        };
        if (_userFilter is not null)
        {
            uint keep = _userFilter.Run(data, original, metadata);
            if (keep == 0)
            {
                _droppedByFilter++;
                return false;
            }
            if (keep < (uint)data.Length) data = data[..(int)keep];
        }
        if (hasVlan && _reinsertVlanTags && data.Length >= 12)
        {
            data = InsertVlanTag(data, metadata.VlanTpid, metadata.VlanTci);
            original += 4;
            if (data.Length > SnapLength) data = data[..SnapLength];
        }
        long timestamp = _source.Clock.ToUnixNanoseconds(BinaryPrimitives.ReadUInt64LittleEndian(record));
        handler.OnFrame(new CapturedFrame(data, LinkType, timestamp, original, metadata));
        _delivered++;
        _deliveredBytes += data.Length;
        return true;
    }

    /// <summary>The frame with the tag the kernel holds beside it back after the two MAC addresses (a copy: the ring is read-only).</summary>
    private ReadOnlySpan<byte> InsertVlanTag(ReadOnlySpan<byte> frame, ushort tpid, ushort tci)
    {
        if (_scratch is null || _scratch.Length < frame.Length + 4) _scratch = new byte[Math.Max(frame.Length + 4, 2048)];
        var tagged = _scratch.AsSpan(0, frame.Length + 4);
        frame[..12].CopyTo(tagged);
        BinaryPrimitives.WriteUInt16BigEndian(tagged[12..], tpid);
        BinaryPrimitives.WriteUInt16BigEndian(tagged[14..], tci);
        frame[12..].CopyTo(tagged[16..]);
        return tagged;
    }

    // The record is written by a program on this machine: host byte order, little-endian on every 64-bit Linux .NET runs on.
    private static uint U32(ReadOnlySpan<byte> record, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(record[offset..]);

    private struct Consumer<THandler>(TcCapture capture, THandler handler) : IRingRecordConsumer where THandler : struct, IFrameHandler
    {
        public THandler Handler = handler;

        public bool Consume(ReadOnlySpan<byte> record) => capture.Deliver(record, ref Handler);
    }

}
