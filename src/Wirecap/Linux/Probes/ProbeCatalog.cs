using Wirecap.Ebpf;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Linux.Probes;

/// <summary>A tracepoint a probe can attach to: it has a <c>struct sk_buff *</c> argument.</summary>
/// <param name="Spec">Its probe name (<c>tp:net:netif_receive_skb</c>; the system is null when tracefs could not be read).</param>
/// <param name="SkbArgument">The index of its skb argument.</param>
/// <param name="Signature">Its arguments as BTF gives them.</param>
/// <param name="HasDropReason">It carries an <c>enum skb_drop_reason</c>.</param>
public sealed record SkbTracepoint(ProbeSpec Spec, int SkbArgument, string Signature, bool HasDropReason);

/// <summary>What this kernel offers probes: the skb tracepoints in its BTF, and whether kprobes and fentry work here.</summary>
/// <param name="Tracepoints">Every tracepoint with a <c>struct sk_buff *</c> argument, by name.</param>
/// <param name="Kprobes">Null when kprobe probes work, else why not.</param>
/// <param name="Fentry">Null when fentry probes work, else why not.</param>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed record ProbeCatalog(IReadOnlyList<SkbTracepoint> Tracepoints, string? Kprobes, string? Fentry)
{
    /// <summary>Reads BTF (and tracefs for the systems), looks for the kprobe PMU and tries a two-instruction fentry program.</summary>
    public static ProbeCatalog Discover()
    {
        var btf = BtfTypes.Vmlinux;
        var tracepoints = new List<SkbTracepoint>();
        foreach (var tracepoint in btf.Tracepoints)
        {
            int skb = tracepoint.IndexOfPointerTo("sk_buff");
            if (skb < 0) continue;
            TracepointSystems.ByName.TryGetValue(tracepoint.Name, out var system);
            var spec = ProbeSpec.Parse(system is null ? $"tp:{tracepoint.Name}" : $"tp:{system}:{tracepoint.Name}");
            bool reason = tracepoint.Arguments.Any(a => a.Type.Resolve() is { Kind: BtfKind.Enum, Name: "skb_drop_reason" });
            tracepoints.Add(new SkbTracepoint(spec, skb, tracepoint.ToString(), reason));
        }
        tracepoints.Sort((x, y) => string.CompareOrdinal(x.Spec.ToString(), y.Spec.ToString()));
        string? kprobes = ProbeAttachment.KernelHasKprobes
            ? null
            : $"not in this kernel (CONFIG_KPROBES is not set: no {KprobeEvent.PmuPath})";
        return new ProbeCatalog(tracepoints, kprobes, TryFentry(btf));
    }

    private static string? TryFentry(BtfTypes btf)
    {
        if (!btf.TryFindFunction("ip_rcv", out var function)) return "no BTF function ip_rcv to try it on";
        var code = new EbpfAssembler().Mov64(EbpfRegister.R0, 0).Exit().Build();
        try
        {
            using var program = EbpfProgram.Load(code, new EbpfProgramLoadOptions
            {
                Type = EbpfProgramType.Tracing,
                Name = "wirecap_fentry",
                ExpectedAttachType = (EbpfAttachType)24, // BPF_TRACE_FENTRY
                AttachBtfId = (uint)function.Id,
            });
            return null;
        }
        catch (EbpfPermissionException)
        {
            return "refused here: EPERM before verification, even for a 2-instruction program (BPF trampolines are blocked by a security policy)";
        }
        catch (EbpfException e)
        {
            return $"refused here: {e.Message}";
        }
    }
}
