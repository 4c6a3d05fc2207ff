using Wirecap.Bpf;
using Wirecap.Ebpf;
using Wirecap.Ebpf.Btf;
using Wirecap.Ebpf.Translation;
using Wirecap.Filter;
using Wirecap.Formats;

namespace Wirecap.Linux.Probes;

/// <summary>
/// Packets captured inside the kernel's stack, at tracepoints that carry an skb and at the entry of kernel functions
/// that take one (kprobes, fentry; as Retis does, with no clang, no libbpf): each probe is a program generated at open
/// time from this kernel's BTF, which
/// copies the skb's bytes and metadata into one shared ring buffer. Consume it like a
/// <see cref="PacketCapture"/>: <see cref="Capture(ProbeEventHandler, long, CancellationToken)"/> with a handler, <see cref="ReadAllAsync"/>,
/// or <see cref="CaptureTo"/> a writer (pcapng gets one interface per probe and Retis' comments).
/// Programs and links belong to this object's file descriptors: they go when it is disposed, or
/// when the process ends in any way.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ProbeCapture : ILiveCapture
{
    private const int MaximumProbes = 64;

    private readonly List<ProbeAttachment> _attachments = [];
    private readonly ProbeInfo[] _probes;
    private readonly bool[] _freesSkb;
    private readonly bool[] _hasReason;
    private readonly EbpfRingSource _source;
    private readonly DropReasons _dropReasons;
    private readonly ProbeTracker _tracker = new();
    private long _seen, _delivered, _deliveredBytes;
    private bool _disposed;

    /// <summary>The probes, in the order given, as attached.</summary>
    public IReadOnlyList<ProbeInfo> Probes => _probes;

    /// <summary>The snap length each probe copies.</summary>
    public int SnapLength { get; }

    /// <summary>The network namespace kept (inode number), or null for all.</summary>
    public uint? NetnsInode { get; }

    /// <summary>Every packet is an Ethernet frame (with a made-up header where the skb had none).</summary>
    public LinkType LinkType => LinkType.Ethernet;

    private ProbeCapture(ProbeCaptureOptions options, IReadOnlyList<ProbeTarget> targets, uint? netns)
    {
        SnapLength = options.SnapLength;
        NetnsInode = netns;
        var btf = BtfTypes.Vmlinux;
        var layout = SkbLayout.From(btf);
        _dropReasons = new DropReasons(btf);
        var filter = CompileFilter(options.FilterExpression, SnapLength);
        _source = EbpfRingSource.Create(options.RingSize, "wirecap_probes", ProbeProgramBuilder.CounterCount, "wirecap_lost");
        try
        {
            _probes = new ProbeInfo[targets.Count];
            _freesSkb = new bool[targets.Count];
            _hasReason = new bool[targets.Count];
            for (int i = 0; i < targets.Count; i++)
            {
                var target = targets[i];
                var request = new ProbeProgramRequest
                {
                    Typed = true,
                    SkbOffset = target.SkbOffset,
                    ReasonOffset = target.ReasonOffset,
                    ProbeId = (uint)i,
                    Layout = layout,
                    Ring = _source.Ring,
                    Counters = _source.Counters,
                    NetnsInode = netns ?? 0,
                    SnapLength = SnapLength,
                    Filter = filter,
                };
                var attachment = ProbeAttachment.Attach(target, request, options.RawTracepoints);
                _attachments.Add(attachment);
                _probes[i] = new ProbeInfo(i, target.Spec, attachment.Kind, target.SkbArgument, target.Signature);
                _freesSkb[i] = ProbeTracker.Frees(target.Spec);
                _hasReason[i] = target.ReasonArgument >= 0;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        CaptureMetrics.Track(this);
    }

    /// <summary>The expression as the probes run it: compiled for Ethernet, for the kernel's dialect (the translation
    /// takes only what the kernel's classic checker takes) and checked against the copied-buffer translation now, so a
    /// refusal names the expression before anything is loaded.</summary>
    private static BpfProgram? CompileFilter(string? expression, int snapLength)
    {
        if (string.IsNullOrWhiteSpace(expression)) return null;
        BpfProgram program;
        try
        {
            program = FilterCompiler.Compile(expression, LinkType.Ethernet, new FilterOptions { Snaplen = (uint)snapLength, Dialect = BpfDialect.Kernel });
        }
        catch (BpfValidationException e)
        {
            throw new ProbeException($"the filter '{expression}' cannot run in a probe: {e.Message}");
        }
        try
        {
            var check = new EbpfAssembler();
            CbpfTranslator.EmitCopied(check, program,
                new CbpfCopiedPacket(EbpfRegister.R6, EbpfRegister.R7, EbpfRegister.R8, snapLength));
        }
        catch (CbpfTranslationException e)
        {
            throw new ProbeException($"the filter '{expression}' cannot run in a probe: {e.Message}");
        }
        return program;
    }

    /// <summary>Resolves, generates, loads and attaches every probe.</summary>
    /// <exception cref="ProbeException">A probe name is malformed or unknown, has no skb, is of a kind this kernel refuses, or a netns does not exist.</exception>
    /// <exception cref="EbpfException">bpf(2) failed (missing CAP_BPF/CAP_PERFMON, or the verifier rejected a program: its log is in the message).</exception>
    /// <exception cref="Wirecap.Filter.FilterException">The filter expression is invalid.</exception>
    public static ProbeCapture Open(ProbeCaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Probes.Count == 0) throw new ProbeException("no probes given (e.g. tp:net:netif_receive_skb; wirecap --list-probes lists them)");
        if (options.Probes.Count > MaximumProbes) throw new ProbeException($"{options.Probes.Count} probes is more than the {MaximumProbes} one capture attaches");
        if (options.SnapLength is < ProbeEventLayout.FakeEthernetLength + 1 or > ProbeCaptureOptions.MaximumSnapLength)
            throw new ArgumentOutOfRangeException(nameof(options), options.SnapLength, $"a probe's snap length lies between {ProbeEventLayout.FakeEthernetLength + 1} and {ProbeCaptureOptions.MaximumSnapLength}");
        var btf = BtfTypes.Vmlinux;
        var targets = options.Probes.Select(p => ProbeTarget.Resolve(btf, ProbeSpec.Parse(p))).ToList();
        uint? netns = options.NetnsInode ?? (options.Netns is { } name ? NetworkNamespace.InodeOf(name) : null);
        return new ProbeCapture(options, targets, netns);
    }

    /// <summary>Counts so far: records read, kept, filtered out in the probes, lost in the kernel.</summary>
    public ProbeCaptureStatistics GetStatistics() => new(
        Interlocked.Read(ref _seen), Interlocked.Read(ref _delivered), _source.Counter(ProbeProgramBuilder.CounterFiltered),
        _source.Counter(ProbeProgramBuilder.CounterRingFull), _source.Counter(ProbeProgramBuilder.CounterNoPacket), _tracker.Resets);

    /// <summary>As <see cref="ILiveCapture"/> counts, with a packet socket's meaning: records read plus those lost to a
    /// full ring as received (what passed the filter, which runs in the kernel), the loss as kernel drops, nothing
    /// filtered in this process.</summary>
    CaptureStatistics ILiveCapture.GetStatistics()
    {
        var s = GetStatistics();
        return new CaptureStatistics(s.Seen + s.LostRingFull, s.LostRingFull, 0, s.Delivered) { DeliveredBytes = Interlocked.Read(ref _deliveredBytes) };
    }

    /// <summary>The <see cref="ILiveCapture"/> counts, unless the capture has closed (the metrics read them from any thread).</summary>
    internal bool TryGetStatistics(out CaptureStatistics statistics)
    {
        statistics = default;
        if (_disposed) return false;
        try
        {
            statistics = ((ILiveCapture)this).GetStatistics();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>The probes, as <c>listening on</c> names them.</summary>
    string ILiveCapture.InterfaceName => string.Join(", ", _probes.Select(p => p.Spec.ToString()));

    IReadOnlyList<CaptureInterface> ILiveCapture.WriterInterfaces => _probes.Select(p => WriterInterface(p)).ToArray();

    /// <summary>Makes a running <see cref="Capture(ProbeEventHandler, long, CancellationToken)"/> return soon (within its poll interval); safe from any thread.</summary>
    public void Stop() => _source.Stop();

    /// <summary>Detaches every probe and frees the ring.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CaptureMetrics.Untrack(this);
        foreach (var attachment in _attachments) attachment.Dispose();
        _source?.Dispose();
    }
}

/// <summary>Counts of a <see cref="ProbeCapture"/>.</summary>
/// <param name="Seen">Records read from the ring buffer.</param>
/// <param name="Delivered">Packets handed to the consumer.</param>
/// <param name="Filtered">Packets the filter expression rejected in the probes (their records discarded in the kernel, never read).</param>
/// <param name="LostRingFull">Skbs the probes could not record because the ring buffer was full.</param>
/// <param name="NoPacketData">Skbs without a readable MAC or network header (nothing to copy).</param>
/// <param name="TrackingResets">Times the tracking table filled up and started over.</param>
public readonly record struct ProbeCaptureStatistics(long Seen, long Delivered, long Filtered, long LostRingFull, long NoPacketData, long TrackingResets);
