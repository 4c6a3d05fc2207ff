using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Translation;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Linux.Tc.Netlink;

namespace Wirecap.Linux.Tc;

/// <summary>
/// A live capture by eBPF at TC, as Polycube's packetcapture does it, with no clang and no libbpf: a SCHED_CLS program
/// generated at open time runs at the interface's ingress, egress or both, passes every packet on unchanged, and
/// copies the packets it keeps (up to the snap length, with ifindex, direction, timestamp, mark and VLAN tag) into a
/// BPF ring buffer, read here in place. Consume it as a <see cref="PacketCapture"/>: <see cref="LiveCaptureExtensions.Capture"/>,
/// <see cref="ReadAllAsync"/>, <see cref="LiveCaptureExtensions.CaptureTo"/>, <see cref="GetStatistics"/> (a full ring counts as kernel drops).
/// </summary>
/// <remarks>
/// <para>The programs hook in through tcx links (Linux 6.6), which belong to this object's descriptors: they go on
/// <see cref="Dispose"/>, and when the process ends in any way, <c>kill -9</c> included. Where the kernel has no tcx
/// (or with <see cref="TcAttachMode.Clsact"/>) they are direct-action cls_bpf filters under a clsact qdisc, added over
/// rtnetlink. Such a filter outlives a killed process; it is named <c>wirecap:PID:START:N:in|out</c> after its owner,
/// and the next <see cref="Open"/> on the interface removes every filter of ours whose owner is gone (see
/// <c>tc filter show dev IFACE ingress</c>).</para>
/// <para>The interface is looked up, and the hooks attached, in the network namespace of the thread that calls
/// <see cref="Open"/>. Frames at egress are reported as <see cref="LinuxPacketType.Outgoing"/>; a VLAN tag the kernel
/// holds beside the packet is put back into Ethernet frames, as libpcap does.</para>
/// </remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class TcCapture : ILiveCapture
{
    private readonly EbpfRingSource _source;
    private readonly List<EbpfProgram> _programs = [];
    private readonly List<EbpfLink> _links = [];
    private readonly PacketFilter? _userFilter;
    private readonly object _gate = new();
    private ClsactHook? _clsact;
    private bool _disposed;

    private TcCapture(TcCaptureOptions options, int index, LinkType linkType, ushort hardwareType, BpfProgram? filter)
    {
        InterfaceName = options.Interface;
        InterfaceIndex = index;
        LinkType = linkType;
        SnapLength = options.SnapLength;
        Direction = options.Direction;
        _hardwareType = hardwareType;
        _reinsertVlanTags = linkType == LinkType.Ethernet;
        // The filter runs in the TC program; one the translation refuses (an ancillary load TC has no field for) runs
        // here instead, over every packet the program then copies.
        var keep = new TcSnapLength[2];
        try
        {
            keep[0] = filter is null ? TcSnapLength.KeepAll : TcSnapLength.Filter(filter, egress: false);
            keep[1] = filter is null ? TcSnapLength.KeepAll : TcSnapLength.Filter(filter, egress: true);
        }
        catch (CbpfTranslationException)
        {
            keep[0] = keep[1] = TcSnapLength.KeepAll;
            _userFilter = PacketFilter.Create(filter!, linkType);
        }
        int largestRecord = TcRecordLayout.Packet + TcProgramBuilder.SizeClasses(SnapLength)[^1];
        _source = EbpfRingSource.Create(Math.Max(options.RingSize, 4 * largestRecord), "wirecap_tc", TcRecordLayout.CounterCount, "wirecap_tc_lost");
        try
        {
            foreach (var (direction, egress) in new[] { (PacketDirection.Inbound, false), (PacketDirection.Outbound, true) })
            {
                if ((options.Direction & direction) == 0) continue;
                var code = TcProgramBuilder.Build(new TcProgramRequest
                {
                    Ring = _source.Ring,
                    Counters = _source.Counters,
                    SnapLength = SnapLength,
                    Direction = egress ? TcRecordLayout.DirectionEgress : TcRecordLayout.DirectionIngress,
                    Keep = keep[egress ? 1 : 0],
                });
                var program = EbpfProgram.Load(code, new EbpfProgramLoadOptions { Type = EbpfProgramType.SchedClassifier, Name = egress ? "wirecap_tc_out" : "wirecap_tc_in" });
                _programs.Add(program);
                Attach(program, egress, options.Attach);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        CaptureMetrics.Track(this);
    }

    /// <summary>Name of the captured interface.</summary>
    public string InterfaceName { get; }

    /// <summary>Index of the captured interface in its network namespace.</summary>
    public int InterfaceIndex { get; }

    /// <summary>Link type of the frames (Ethernet, or raw IP on a device without a link-layer header).</summary>
    public LinkType LinkType { get; }

    /// <summary>The most bytes a frame keeps.</summary>
    public int SnapLength { get; }

    /// <summary>The hooks the program runs at.</summary>
    public PacketDirection Direction { get; }

    /// <summary>How the programs hooked in: <see cref="TcAttachMode.Tcx"/> or <see cref="TcAttachMode.Clsact"/>.</summary>
    public TcAttachMode AttachedWith { get; private set; }

    /// <summary>Filters of ours that earlier processes left behind on the interface (killed before they could remove
    /// them) and that this open removed.</summary>
    public int OrphanFiltersRemoved => _clsact?.OrphansRemoved ?? 0;

    /// <summary>Generates, loads and attaches the program(s).</summary>
    /// <exception cref="ArgumentException">Inconsistent options.</exception>
    /// <exception cref="InterfaceNotFoundException">No such interface in this network namespace.</exception>
    /// <exception cref="EbpfPermissionException">No CAP_BPF / CAP_NET_ADMIN.</exception>
    /// <exception cref="EbpfNotSupportedException">No bpf(2), or neither tcx nor clsact with cls_bpf.</exception>
    /// <exception cref="EbpfVerifierException">The verifier rejected the program; its log's last lines are in the message.</exception>
    /// <exception cref="FilterException">The filter expression is invalid.</exception>
    public static TcCapture Open(TcCaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Interface)) throw new ArgumentException("Interface must name a device", nameof(options));
        if (options.SnapLength is < 1 or > TcCaptureOptions.MaximumSnapLength)
            throw new ArgumentOutOfRangeException(nameof(options), options.SnapLength, $"SnapLength must be between 1 and {TcCaptureOptions.MaximumSnapLength}");
        if (options.Direction is not (PacketDirection.Inbound or PacketDirection.Outbound or PacketDirection.Both))
            throw new ArgumentOutOfRangeException(nameof(options), options.Direction, "Direction must be Inbound, Outbound or Both");
        int index = CaptureDevices.IndexOf(options.Interface);
        var hardwareType = CaptureDevices.Describe(options.Interface).HardwareType;
        var linkType = CaptureDevices.LinkTypeOf(hardwareType);
        if (linkType is not (LinkType.Ethernet or LinkType.Raw))
            throw new ArgumentException($"'{options.Interface}' has hardware type {hardwareType}: TC capture takes Ethernet, loopback and raw-IP devices", nameof(options));
        var filter = options.Program ?? SocketFilterInstaller.Compile(options.FilterExpression, options.SnapLength, linkType, options.Interface);
        return new TcCapture(options, index, linkType, hardwareType, filter);
    }

    private void Attach(EbpfProgram program, bool egress, TcAttachMode mode)
    {
        if (mode != TcAttachMode.Clsact && _clsact is null)
        {
            try
            {
                _links.Add(EbpfLink.Create(program, InterfaceIndex, egress ? EbpfAttachType.TcxEgress : EbpfAttachType.TcxIngress));
                AttachedWith = TcAttachMode.Tcx;
                return;
            }
            catch (EbpfNotSupportedException tcx) when (mode == TcAttachMode.Auto)
            {
                FallBackToClsact(InterfaceName, tcx, () => AttachClsact(program, egress));
                return;
            }
        }
        AttachClsact(program, egress);
    }

    private void AttachClsact(EbpfProgram program, bool egress)
    {
        if (_clsact is null)
        {
            var socket = RouteSocket.Open();
            try
            {
                _clsact = ClsactHook.Open(socket, InterfaceIndex, InterfaceName);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        _clsact.Attach(program, egress);
        AttachedWith = TcAttachMode.Clsact;
    }

    /// <summary>The fallback once the kernel refused tcx as unknown: attach through clsact (qdisc and cls_bpf filter),
    /// or, when the kernel lacks that too, fail with one error naming both refusals and what to do. Any other failure
    /// (no permission, the device gone) is clsact's own and passes through unchanged.</summary>
    internal static void FallBackToClsact(string device, EbpfNotSupportedException tcx, Action attachClsact)
    {
        try
        {
            attachClsact();
        }
        catch (EbpfNotSupportedException clsact)
        {
            throw TcErrors.NoHook(device, tcx, clsact.Message);
        }
    }

    /// <summary>Makes the current read return soon (within the ring source's poll interval, 10 ms); safe from any thread.</summary>
    public void Stop() => _source.Stop();

    /// <summary>Detaches the programs (closing the tcx links, or removing our clsact filters) and frees the ring,
    /// once a running read has left it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        CaptureMetrics.Untrack(this);
        foreach (var link in _links) link.Dispose();
        _clsact?.Dispose();
        foreach (var program in _programs) program.Dispose();
        _source?.Dispose();
    }
}
