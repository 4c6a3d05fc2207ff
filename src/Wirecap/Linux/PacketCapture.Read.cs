using Wirecap.Formats;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Wirecap.Filter;
using Wirecap.Linux.Interop;
using static Wirecap.Linux.Interop.PacketSocketConstants;

namespace Wirecap.Linux;

public sealed partial class PacketCapture
{
    private PacketFilter? _userFilter;
    private byte[]? _scratch;
    private long _delivered;
    private long _deliveredBytes;
    private long _droppedByFilter;

    /// <inheritdoc/>
    /// <remarks>Frames left in a block are kept for the next read. Nothing is allocated per frame.</remarks>
    public long Capture<THandler>(ref THandler handler, long maxPackets = -1, CancellationToken cancellationToken = default)
        where THandler : struct, IFrameHandler
    {
        AcquireOrThrow();
        if (Interlocked.CompareExchange(ref _reading, Reading, NotReading) != NotReading)
        {
            Release();
            throw new InvalidOperationException($"the capture on '{InterfaceName}' is already being read by another thread");
        }
        // A stop requested before this read began belongs to an earlier read; a cancelled token still stops at once.
        Volatile.Write(ref _stopRequested, 0);
        var registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((PacketCapture)s!).Stop(), this) : default;
        try
        {
            return _immediate ? Read(ref handler, ref _slots, maxPackets) : Read(ref handler, ref _blocks, maxPackets);
        }
        finally
        {
            registration.Dispose();
            // A Dispose during the read left its own lease for this thread to give back (see Dispose).
            if (Interlocked.Exchange(ref _reading, NotReading) == ReadingDisposed) Release();
            Release();
        }
    }

    // Compiled fully optimized at once: a capture's read loop runs hot from its first packet, and tiering it up
    // (instrumented code, on-stack replacement, a background recompile) costs more CPU than a million packets' worth
    // of work (measured with bench/live-side-by-side.sh).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Read<THandler, TRing>(ref THandler handler, ref TRing ring, long maxPackets)
        where THandler : struct, IFrameHandler where TRing : struct, IFrameRing
    {
        long count = 0;
        while (maxPackets < 0 || count < maxPackets)
        {
            if (Interlocked.Exchange(ref _stopRequested, 0) == 1 || Volatile.Read(ref _disposed) == 1) break;
            if (!ring.TryTake())
            {
                WaitForBlock();
                continue;
            }
            count += ReadUnits(ref handler, ref ring, maxPackets < 0 ? long.MaxValue : maxPackets - count);
        }
        return count;
    }

    /// <summary>Delivers the frames of the held unit and of the units after it that are ready too, giving each back
    /// when all its frames are read; stops at the budget, at a stop request or when no ready unit is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe long ReadUnits<THandler, TRing>(ref THandler handler, ref TRing ring, long budget)
        where THandler : struct, IFrameHandler where TRing : struct, IFrameRing
    {
        long delivered = 0, counted = 0;
        try
        {
            while (delivered < budget && Volatile.Read(ref _stopRequested) == 0)
            {
                if (Volatile.Read(ref _pendingFilter) is not null) AdoptPendingFilter();
                var frame = ring.NextFrame();
                if (frame == null)
                {
                    ring.Return();
                    UnitDone();
                    // Counted per unit: a backlog of ready units can keep this loop going for long, and statistics
                    // read meanwhile (from any thread) should include what was already delivered.
                    _delivered += delivered - counted;
                    counted = delivered;
                    if (!ring.TryTake()) break;
                    continue;
                }
                if (Deliver(frame, ref handler, ref ring)) delivered++;
            }
        }
        finally
        {
            // Also when the handler throws: the frames it returned from were delivered.
            _delivered += delivered - counted;
        }
        return delivered;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe bool Deliver<THandler, TRing>(byte* frame, ref THandler handler, ref TRing ring)
        where THandler : struct, IFrameHandler where TRing : struct, IFrameRing
    {
        var address = (SockAddrLinkLayer*)(frame + TRing.AddressOffset);
        if (!WantedDirection(address->PacketType, address->InterfaceIndex)) return false;

        var data = frame + TRing.MacOffset(frame);
        var captured = TRing.SnapLength(frame);
        var original = TRing.Length(frame);
        if (!ring.Contains(frame, data, captured)) ThrowCorruptFrame(TRing.MacOffset(frame), captured);

        var timestamp = (long)TRing.Seconds(frame) * 1_000_000_000 + TRing.Nanoseconds(frame);
        if (!_nanoseconds) timestamp -= timestamp % 1000;

        if (_cooked)
        {
            // The kernel reserved room in front of the network header for this (PACKET_RESERVE).
            data -= LinuxCookedHeader.V2Length;
            WriteCookedHeader(data, address);
            captured += LinuxCookedHeader.V2Length;
            original += LinuxCookedHeader.V2Length;
        }

        if ((_userFilter ?? _refilter) is { } filter)
        {
            captured = FilterInUserSpace<TRing>(filter, frame, data, captured, original);
            if (captured < 0) return false;
        }

        var span = new ReadOnlySpan<byte>(data, captured);
        if (_reinsertVlanTags && captured >= 12 && HasVlan<TRing>(frame))
        {
            span = InsertVlanTag(data, captured, (int)(data - frame) - TRing.HeaderLength, Tpid<TRing>(frame), TRing.VlanTci(frame));
            original += 4;
        }
        if (span.Length > _snapLength) span = span[.._snapLength];

        handler.OnFrame(Describe<TRing>(frame, span, timestamp, original));
        _deliveredBytes += span.Length; // after the handler, as Delivered counts only frames it returned from
        return true;
    }

    /// <summary>The frame's metadata from its ring header and link-level address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe CapturedFrame Describe<TRing>(byte* frame, ReadOnlySpan<byte> data, long timestamp, int original) where TRing : struct, IFrameRing =>
        new(data, LinkType, timestamp, original, Metadata<TRing>(frame));

    /// <summary>What the kernel reported of the frame besides its bytes: the link-level address and the ring header's VLAN and hash fields.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe LinuxPacketMetadata Metadata<TRing>(byte* frame) where TRing : struct, IFrameRing
    {
        var address = (SockAddrLinkLayer*)(frame + TRing.AddressOffset);
        return new LinuxPacketMetadata
        {
            Protocol = BinaryPrimitives.ReverseEndianness(address->ProtocolBigEndian),
            PacketType = (LinuxPacketType)address->PacketType,
            InterfaceIndex = address->InterfaceIndex,
            HardwareType = address->HardwareType,
            ReceiveHash = TRing.RxHash(frame),
            HasVlan = HasVlan<TRing>(frame),
            VlanTci = TRing.VlanTci(frame),
            VlanTpid = Tpid<TRing>(frame),
        };
    }

    /// <summary>The kernel took a VLAN tag out of the frame (a zero TCI counts only with the valid flag).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool HasVlan<TRing>(byte* frame) where TRing : struct, IFrameRing =>
        TRing.VlanTci(frame) != 0 || (TRing.Status(frame) & StatusVlanValid) != 0;

    /// <summary>The removed tag's TPID; kernels that do not report it only strip 802.1Q tags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ushort Tpid<TRing>(byte* frame) where TRing : struct, IFrameRing =>
        (TRing.Status(frame) & StatusVlanTpidValid) != 0 ? TRing.VlanTpid(frame) : EtherTypes.Vlan;

    /// <summary>Runs a filter in this process on one frame: the length to keep, or -1 (counted) to drop it. Out of
    /// line, so captures that filter in the kernel (nearly all) pay nothing for it per frame.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private unsafe int FilterInUserSpace<TRing>(PacketFilter filter, byte* frame, byte* data, int captured, int original)
        where TRing : struct, IFrameRing
    {
        var keep = filter.Run(new ReadOnlySpan<byte>(data, captured), original, Metadata<TRing>(frame));
        if (keep != 0) return keep < captured ? (int)keep : captured;
        _droppedByFilter++;
        return -1;
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowCorruptFrame(int offset, int length) =>
        throw new InvalidDataException($"corrupt frame in the receive ring of '{InterfaceName}' (offset {offset}, length {length})");

    /// <summary>libpcap's direction rules: outgoing copies on loopback are dropped (each packet also arrives as
    /// incoming), otherwise the packet type decides.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool WantedDirection(byte packetType, int interfaceIndex)
    {
        if (packetType == (byte)LinuxPacketType.Outgoing)
            return interfaceIndex != _loopbackIndex && (_direction & PacketDirection.Outbound) != 0;
        return (_direction & PacketDirection.Inbound) != 0;
    }

    /// <summary>Writes the 20-byte LINUX_SLL2 header (big-endian fields) from the frame's link-level address.</summary>
    private static unsafe void WriteCookedHeader(byte* destination, SockAddrLinkLayer* address)
    {
        var header = new Span<byte>(destination, LinuxCookedHeader.V2Length);
        BinaryPrimitives.WriteUInt16BigEndian(header, BinaryPrimitives.ReverseEndianness(address->ProtocolBigEndian));
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], address->InterfaceIndex);
        BinaryPrimitives.WriteUInt16BigEndian(header[8..], address->HardwareType);
        header[10] = address->PacketType;
        var addressLength = Math.Min((int)address->AddressLength, 8);
        header[11] = address->AddressLength;
        var linkAddress = header[12..];
        new ReadOnlySpan<byte>(address->Address, addressLength).CopyTo(linkAddress);
        linkAddress[addressLength..].Clear();
    }

    /// <summary>Puts a stripped 802.1Q/802.1ad tag back after the two MAC addresses: in place, moving the MAC
    /// addresses 4 bytes into the reserved headroom, or in a scratch copy if there is no headroom.</summary>
    private unsafe ReadOnlySpan<byte> InsertVlanTag(byte* data, int length, int headroom, ushort tpid, ushort tci)
    {
        Span<byte> tagged;
        if (headroom >= 4)
        {
            tagged = new Span<byte>(data - 4, length + 4);
            new ReadOnlySpan<byte>(data, 12).CopyTo(tagged);
        }
        else
        {
            if (_scratch is null || _scratch.Length < length + 4) _scratch = new byte[Math.Max(length + 4, 2048)];
            tagged = _scratch.AsSpan(0, length + 4);
            new ReadOnlySpan<byte>(data, 12).CopyTo(tagged);
            new ReadOnlySpan<byte>(data + 12, length - 12).CopyTo(tagged[16..]);
        }
        BinaryPrimitives.WriteUInt16BigEndian(tagged[12..], tpid);
        BinaryPrimitives.WriteUInt16BigEndian(tagged[14..], tci);
        return tagged;
    }

    private unsafe void WaitForBlock()
    {
        var fds = stackalloc Libc.PollFd[2];
        fds[0] = new Libc.PollFd { Fd = _socket.Handle.Descriptor, Events = Libc.PollIn };
        fds[1] = new Libc.PollFd { Fd = _wake.Descriptor, Events = Libc.PollIn };
        if (Libc.Poll(fds, 2, -1) < 0)
        {
            var errno = Errno.Last;
            if (errno == Errno.EINTR) return;
            throw Errno.ToException("poll", errno, InterfaceName);
        }
        if ((fds[1].ReturnedEvents & Libc.PollIn) != 0) ClearSignal();
        var socketEvents = fds[0].ReturnedEvents;
        if ((socketEvents & Libc.PollErr) != 0)
        {
            var error = _socket.PendingError();
            if (error != 0) throw Errno.ToException("poll", error, InterfaceName);
        }
        if ((socketEvents & (Libc.PollHup | Libc.PollNval)) != 0)
            throw new LinuxCaptureException("poll", 0, $"the packet socket for '{InterfaceName}' was closed or hung up");
    }
}
