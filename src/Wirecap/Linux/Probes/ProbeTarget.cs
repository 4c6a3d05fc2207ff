using System.Runtime.InteropServices;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Linux.Probes;

/// <summary>A probe name resolved against BTF: what to attach to and where its arguments are.</summary>
/// <param name="Spec">The probe's name (a tracepoint's system filled in).</param>
/// <param name="BtfId">The BTF id to attach to: the tracepoint's <c>btf_trace_*</c> typedef, or the function.</param>
/// <param name="SkbArgument">The index of the <c>struct sk_buff *</c> argument (found by type).</param>
/// <param name="ReasonArgument">The index of the <c>enum skb_drop_reason</c> argument, or -1.</param>
/// <param name="SkbOffset">Where the program's context holds the skb argument: <c>8 * i</c> in the u64 argument array of
/// tracepoints and fentry, the register's offset in <c>struct pt_regs</c> for a kprobe.</param>
/// <param name="ReasonOffset">Where it holds the drop reason, or -1.</param>
/// <param name="Signature">The prototype, for messages and listings.</param>
internal sealed record ProbeTarget(ProbeSpec Spec, int BtfId, int SkbArgument, int ReasonArgument, short SkbOffset, short ReasonOffset, string Signature)
{
    /// <summary>Resolves a probe by name, finding its skb and drop-reason arguments by type.</summary>
    /// <exception cref="ProbeException">Unknown, in another system, without an skb, or (kprobe) with the skb on the stack.</exception>
    public static ProbeTarget Resolve(BtfTypes btf, ProbeSpec spec) => Resolve(btf, spec, RuntimeInformation.ProcessArchitecture);

    /// <summary>As <see cref="Resolve(BtfTypes, ProbeSpec)"/>, with the kprobe registers of <paramref name="architecture"/>.</summary>
    public static ProbeTarget Resolve(BtfTypes btf, ProbeSpec spec, Architecture architecture) => spec.Kind switch
    {
        ProbeKind.Tracepoint => Tracepoint(btf, spec),
        ProbeKind.Kprobe => InRegisters(Function(btf, spec), KprobeArguments.RegisterOffsets(btf, architecture), architecture),
        _ => Function(btf, spec),
    };

    /// <summary>The context of raw and BTF tracepoints and of fentry is <c>u64 args[]</c>.</summary>
    private static short ArgumentSlot(int index) => index < 0 ? (short)-1 : (short)(8 * index);

    private static ProbeTarget Tracepoint(BtfTypes btf, ProbeSpec spec)
    {
        if (!btf.TryFindTracepoint(spec.Target, out var tracepoint))
            throw new ProbeException($"probe {spec}: this kernel has no tracepoint '{spec.Target}' (no btf_trace_{spec.Target} in {btf.Source}; wirecap --list-probes lists the skb tracepoints)");
        TracepointSystems.ByName.TryGetValue(spec.Target, out var system);
        if (spec.System is not null && system is not null && spec.System != system)
            throw new ProbeException($"probe {spec}: tracepoint '{spec.Target}' belongs to system '{system}', not '{spec.System}'");
        var arguments = tracepoint.Arguments;
        int skb = tracepoint.IndexOfPointerTo("sk_buff");
        if (skb < 0) throw new ProbeException($"probe {spec}: tracepoint {tracepoint} has no struct sk_buff * argument");
        int reason = -1;
        for (int i = 0; i < arguments.Count; i++)
            if (arguments[i].Type.Resolve() is { Kind: BtfKind.Enum, Name: "skb_drop_reason" }) reason = i;
        return new ProbeTarget(spec with { System = spec.System ?? system }, tracepoint.Typedef.Id, skb, reason, ArgumentSlot(skb), ArgumentSlot(reason), tracepoint.ToString());
    }

    private static ProbeTarget Function(BtfTypes btf, ProbeSpec spec)
    {
        if (!btf.TryFindFunction(spec.Target, out var function))
            throw new ProbeException($"probe {spec}: no kernel function '{spec.Target}' in {btf.Source} (inlined, static without BTF, or misspelt)");
        var parameters = function.Parameters;
        int skb = -1, reason = -1;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (skb < 0 && parameters[i].Type.IsPointerToStruct("sk_buff")) skb = i;
            if (parameters[i].Type.Resolve() is { Kind: BtfKind.Enum, Name: "skb_drop_reason" }) reason = i;
        }
        string signature = $"{spec.Target}({string.Join(", ", parameters.Select(p => $"{p.Type} {p.Name}".Trim()))})";
        if (skb < 0) throw new ProbeException($"probe {spec}: {signature} takes no struct sk_buff *");
        return new ProbeTarget(spec, function.Id, skb, reason, ArgumentSlot(skb), ArgumentSlot(reason), signature);
    }

    /// <summary>A kprobe reads arguments from the registers saved at the function's entry, so only those it passes in registers.</summary>
    private static ProbeTarget InRegisters(ProbeTarget function, IReadOnlyList<short> registers, Architecture architecture)
    {
        if (function.SkbArgument >= registers.Count)
            throw new ProbeException($"probe {function.Spec}: {function.Signature} passes its struct sk_buff * as argument {function.SkbArgument + 1}, " +
                $"on the stack; a kprobe reads only the {registers.Count} register arguments of {architecture} " +
                $"(use fentry:{function.Spec.Target} or a tracepoint)");
        // A drop reason on the stack is left unread (the sighting has no reason) rather than refusing the probe.
        int reason = function.ReasonArgument < registers.Count ? function.ReasonArgument : -1;
        return function with
        {
            ReasonArgument = reason,
            SkbOffset = registers[function.SkbArgument],
            ReasonOffset = reason < 0 ? (short)-1 : registers[reason],
        };
    }
}
