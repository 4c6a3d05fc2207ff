using Wirecap.Ebpf;

namespace Wirecap.Linux.Probes;

/// <summary>One probe's program and link, loaded and attached; disposing detaches it.</summary>
internal sealed class ProbeAttachment : IDisposable
{
    private const EbpfAttachType TraceFentry = (EbpfAttachType)24; // BPF_TRACE_FENTRY

    private readonly EbpfProgram _program;
    private readonly EbpfLink _link;

    private ProbeAttachment(EbpfProgram program, EbpfLink link, string kind)
    {
        _program = program;
        _link = link;
        Kind = kind;
    }

    /// <summary><c>tp_btf</c>, <c>raw_tp</c>, <c>fentry</c> or <c>kprobe</c>.</summary>
    public string Kind { get; }

    /// <summary>True when this kernel offers kprobes at all (a kprobe PMU exists).</summary>
    public static bool KernelHasKprobes => KprobeEvent.KernelHasKprobes;

    public static ProbeAttachment Attach(ProbeTarget target, ProbeProgramRequest request, bool rawOnly)
    {
        var spec = target.Spec;
        switch (spec.Kind)
        {
            case ProbeKind.Tracepoint when !rawOnly:
                try
                {
                    return Load(request with { Typed = true }, EbpfProgramType.Tracing, EbpfAttachType.TraceRawTracepoint, target, "tp_btf",
                        program => EbpfLink.Create(program, 0, EbpfAttachType.TraceRawTracepoint));
                }
                catch (EbpfException e) when (e is not EbpfPermissionException)
                {
                    // Older kernels (before 5.5) or a verifier that rejects the typed loads: the raw form reads through probe_read.
                    return Attach(target, request, rawOnly: true);
                }
            case ProbeKind.Tracepoint:
                return Load(request with { Typed = false }, EbpfProgramType.RawTracepoint, EbpfAttachType.None, target, "raw_tp",
                    program => EbpfLink.OpenRawTracepoint(program, spec.Target));
            case ProbeKind.Fentry:
                try
                {
                    return Load(request with { Typed = true }, EbpfProgramType.Tracing, TraceFentry, target, "fentry",
                        program => EbpfLink.Create(program, 0, TraceFentry));
                }
                catch (EbpfPermissionException e)
                {
                    throw new ProbeException($"probe {spec}: the kernel refused the fentry program with EPERM before verifying it: " +
                        "BPF trampolines (fentry/fexit) are blocked here by a security policy, although the process has CAP_BPF; " +
                        "use a tracepoint (wirecap --list-probes)", e);
                }
            default:
                if (!KernelHasKprobes)
                    throw new ProbeException($"probe {spec}: this kernel has no kprobes (CONFIG_KPROBES is not set: there is no {KprobeEvent.PmuPath}); " +
                        "use a tracepoint (wirecap --list-probes) or fentry:" + spec.Target);
                return Load(request with { Typed = false }, EbpfProgramType.Kprobe, EbpfAttachType.None, target, "kprobe", program =>
                {
                    // The link holds the perf event: closing this descriptor once it exists leaves the link owning the kprobe.
                    using var kprobe = KprobeEvent.Open(spec.Target);
                    return EbpfLink.Create(program, kprobe.Handle.Descriptor, EbpfAttachType.PerfEvent);
                });
        }
    }

    /// <summary>The program a kprobe on <paramref name="target"/> runs, loaded but not attached. The kprobe program type
    /// loads on kernels without kprobes too, so the verifier's verdict on it can be had anywhere.</summary>
    internal static EbpfProgram LoadKprobeProgram(ProbeTarget target, ProbeProgramRequest request) =>
        LoadProgram(request with { Typed = false }, EbpfProgramType.Kprobe, EbpfAttachType.None, target);

    private static ProbeAttachment Load(ProbeProgramRequest request, EbpfProgramType type, EbpfAttachType attachType, ProbeTarget target,
        string kind, Func<EbpfProgram, EbpfLink> link)
    {
        var program = LoadProgram(request, type, attachType, target);
        try
        {
            return new ProbeAttachment(program, link(program), kind);
        }
        catch
        {
            program.Dispose();
            throw;
        }
    }

    private static EbpfProgram LoadProgram(ProbeProgramRequest request, EbpfProgramType type, EbpfAttachType attachType, ProbeTarget target) =>
        EbpfProgram.Load(ProbeProgramBuilder.Build(request), new EbpfProgramLoadOptions
        {
            Type = type,
            Name = $"wirecap_probe{request.ProbeId}",
            ExpectedAttachType = attachType,
            AttachBtfId = type == EbpfProgramType.Tracing ? (uint)target.BtfId : 0,
        });

    public void Dispose()
    {
        _link.Dispose();
        _program.Dispose();
    }
}
