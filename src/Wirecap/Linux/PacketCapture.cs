using Wirecap.Formats;
using Wirecap.Linux.Interop;
using static Wirecap.Linux.Interop.PacketSocketConstants;

namespace Wirecap.Linux;

/// <summary>A live capture on a Linux interface: an <c>AF_PACKET</c> socket with a ring read in place (TPACKET_V3
/// blocks, or in immediate mode TPACKET_V2 frame slots so that every packet wakes the reader).
/// One thread reads (<see cref="Capture{THandler}(ref THandler, long, CancellationToken)"/> and its overloads);
/// any thread may call <see cref="Stop"/>, <see cref="GetStatistics"/> or <see cref="Dispose"/>. The ring is
/// unmapped only after the reader has left it, so disposing during a read is safe.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class PacketCapture : ILiveCapture
{
    private readonly PacketSocket _socket;
    // Exactly one of the two is mapped; _immediate says which. Mutable structs: the read loop walks them by reference.
    private BlockRing _blocks;
    private SlotRing _slots;
    private readonly bool _immediate;
    private readonly EventFdHandle _wake;
    private readonly PacketCaptureOptions _options;
    private readonly bool _cooked;
    private readonly int _loopbackIndex;
    // Copies of options read for every frame, kept in this object to save a pointer hop.
    private readonly int _snapLength;
    private readonly bool _nanoseconds;
    private readonly bool _reinsertVlanTags;
    private readonly PacketDirection _direction;

    // One lease for the owner plus one per active reader; the native resources go when the count reaches zero.
    private int _leases = 1;
    private int _disposed;
    private int _stopRequested;
    private int _reading;
    private const int NotReading = 0, Reading = 1, ReadingDisposed = 2;

    private PacketCapture(PacketCaptureOptions options, PacketSocket socket, BlockRing blocks, SlotRing slots, EventFdHandle wake,
        bool cooked, int interfaceIndex, string interfaceName, LinkType linkType, int loopbackIndex)
    {
        _options = options;
        _socket = socket;
        _blocks = blocks;
        _slots = slots;
        _immediate = options.Immediate;
        _wake = wake;
        _cooked = cooked;
        InterfaceIndex = interfaceIndex;
        InterfaceName = interfaceName;
        LinkType = linkType;
        _loopbackIndex = loopbackIndex;
        _snapLength = options.SnapLength;
        _nanoseconds = options.NanosecondTimestamps;
        // libpcap puts tags back only into Ethernet frames (an SLL2 header has no place for them).
        _reinsertVlanTags = options.ReinsertVlanTags && !cooked && linkType == LinkType.Ethernet;
        _direction = options.Direction;
        CaptureMetrics.Track(this);
    }

    /// <summary>Index of the captured interface (0 for the <c>any</c> device).</summary>
    public int InterfaceIndex { get; }

    /// <summary>Name of the captured interface.</summary>
    public string InterfaceName { get; }

    /// <summary>Link type of the frames: Ethernet on Ethernet and loopback devices, LINUX_SLL2 on <c>any</c>.</summary>
    public LinkType LinkType { get; }

    /// <summary>The snapshot length frames are cut to.</summary>
    public int SnapLength => _snapLength;

    /// <summary>Opens a capture. Throws <see cref="CapturePermissionException"/> without CAP_NET_RAW,
    /// <see cref="InterfaceNotFoundException"/>, <see cref="InterfaceDownException"/> or
    /// <see cref="RingAllocationException"/> for the matching problems, <see cref="ArgumentException"/> for
    /// inconsistent options, and the filter compiler's exceptions for a bad <see cref="PacketCaptureOptions.FilterExpression"/>.</summary>
    public static PacketCapture Open(PacketCaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SnapLength is < 1 or > PacketCaptureOptions.MaximumSnapLength)
            throw new ArgumentOutOfRangeException(nameof(options), options.SnapLength, $"SnapLength must be between 1 and {PacketCaptureOptions.MaximumSnapLength}");
        if (options.Direction is not (PacketDirection.Inbound or PacketDirection.Outbound or PacketDirection.Both))
            throw new ArgumentOutOfRangeException(nameof(options), options.Direction, "Direction must be Inbound, Outbound or Both");

        var (index, name, hardwareType) = Resolve(options);
        var cooked = index == 0 || CaptureDevices.LinkTypeOf(hardwareType) == LinkType.LinuxSll2;
        var linkType = cooked ? LinkType.LinuxSll2 : CaptureDevices.LinkTypeOf(hardwareType);
        var loopbackIndex = LoopbackIndex();
        // Room in front of each frame for a re-inserted VLAN tag and, when cooked, the 20-byte SLL2 header.
        var reserve = cooked ? 8 : 4;
        var blockRequest = options.Immediate ? default : RingGeometry.ComputeBlocks(options);
        var slotRequest = options.Immediate ? RingGeometry.ComputeSlots(options, reserve) : default;

        PacketSocket? socket = null;
        BlockRing blocks = default;
        SlotRing slots = default;
        EventFdHandle? wake = null;
        try
        {
            socket = PacketSocket.Open(cooked, name);
            socket.SetInt(SolPacket, PacketVersion, options.Immediate ? TPacketV2 : TPacketV3, "PACKET_VERSION");
            socket.SetInt(SolPacket, PacketReserve, reserve, "PACKET_RESERVE");
            if (options.Direction == PacketDirection.Inbound)
                socket.SetInt(SolPacket, PacketIgnoreOutgoing, 1, "PACKET_IGNORE_OUTGOING");
            var filter = SocketFilterInstaller.Install(socket, SocketFilterInstaller.FromOptions(options, linkType, name), options.SnapLength, linkType, name);
            if (options.Immediate)
            {
                socket.SetRing(slotRequest);
                slots = SlotRing.Map(socket, slotRequest, name);
            }
            else
            {
                socket.SetRing(blockRequest);
                blocks = BlockRing.Map(socket, blockRequest, name);
            }
            var fd = Libc.EventFd(0, Libc.EventFdCloseOnExec | Libc.EventFdNonBlocking);
            if (fd < 0) throw Errno.ToException("eventfd", Errno.Last, name);
            wake = new EventFdHandle(fd);
            socket.Bind(index);
            if (options.Promiscuous && index != 0) socket.AddPromiscuousMembership(index);
            if (options.Fanout is { } fanout) socket.JoinFanout(fanout);
            return new PacketCapture(options, socket, blocks, slots, wake, cooked, index, name, linkType, loopbackIndex) { _userFilter = filter };
        }
        catch
        {
            wake?.Dispose();
            blocks.Dispose();
            slots.Dispose();
            socket?.Dispose();
            throw;
        }
    }

    private static (int Index, string Name, ushort HardwareType) Resolve(PacketCaptureOptions options)
    {
        if (options.InterfaceIndex is { } byIndex)
        {
            if (byIndex < 0) throw new ArgumentOutOfRangeException(nameof(options), byIndex, "InterfaceIndex must not be negative");
            if (byIndex == 0) return (0, PacketCaptureOptions.AnyInterface, 0);
            var name = CaptureDevices.NameOf(byIndex);
            return (byIndex, name, CaptureDevices.Describe(name).HardwareType);
        }
        if (string.IsNullOrEmpty(options.Interface))
            throw new ArgumentException("Interface must name a device or be \"any\"", nameof(options));
        if (options.Interface == PacketCaptureOptions.AnyInterface) return (0, options.Interface, 0);
        var index = CaptureDevices.IndexOf(options.Interface);
        return (index, options.Interface, CaptureDevices.Describe(options.Interface).HardwareType);
    }

    /// <summary>libpcap drops the outgoing copy of loopback traffic (it also arrives as incoming); so do we.</summary>
    private static int LoopbackIndex() => (int)Libc.IfNameToIndex("lo");

    /// <summary>Makes the current read return as soon as possible (within microseconds when it is waiting).
    /// Safe from any thread and after dispose. A read that starts later is not affected: to stop a read that may
    /// not have started yet, pass it a <see cref="CancellationToken"/> instead.</summary>
    public void Stop()
    {
        Volatile.Write(ref _stopRequested, 1);
        if (!TryAcquire()) return;
        try
        {
            Signal();
        }
        finally
        {
            Release();
        }
    }

    private unsafe void Signal()
    {
        ulong one = 1;
        _ = Libc.Write(_wake, &one, sizeof(ulong));
    }

    private unsafe void ClearSignal()
    {
        ulong value;
        _ = Libc.Read(_wake, &value, sizeof(ulong));
    }

    /// <summary>Stops a running read and releases the socket and the ring (once the reader has left it).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        CaptureMetrics.Untrack(this);
        // With a read in progress, the reader gives this lease back as it leaves: closing the socket waits for the
        // kernel (an RCU grace period, tens of milliseconds), which Dispose then never pays, as Stop does not. The
        // lease is handed over before the reader is woken (woken first, it could leave before the hand-over), and the
        // reader is woken without taking a lease: one taken here could be the last one given back, and close here.
        if (Interlocked.CompareExchange(ref _reading, ReadingDisposed, Reading) == Reading)
        {
            Volatile.Write(ref _stopRequested, 1);
            try
            {
                Signal();
            }
            catch (ObjectDisposedException)
            {
                // The reader has left and closed everything: nothing to wake.
            }
            return;
        }
        Stop();
        Release();
    }

    private bool TryAcquire()
    {
        while (true)
        {
            var leases = Volatile.Read(ref _leases);
            if (leases == 0) return false;
            if (Interlocked.CompareExchange(ref _leases, leases + 1, leases) == leases) return true;
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _leases) != 0) return;
        _blocks.Dispose();
        _slots.Dispose();
        _wake.Dispose();
        _socket.Dispose();
    }

    private void AcquireOrThrow()
    {
        if (Volatile.Read(ref _disposed) == 1 || !TryAcquire()) throw new ObjectDisposedException(nameof(PacketCapture), $"the capture on '{InterfaceName}' is closed");
    }
}
