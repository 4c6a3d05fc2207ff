using Wirecap.Ebpf.Btf;

namespace Wirecap.Linux.Probes;

/// <summary>A probe name resolved against BTF: what to attach to and where its arguments are.</summary>
internal sealed record ProbeTarget(ProbeSpec Spec, int BtfId, int SkbArgument, int ReasonArgument, string Signature)
{
    /// <summary>Resolves a tracepoint by name, finding its skb and drop-reason arguments by type.</summary>
    /// <exception cref="ProbeException">Unknown, in another system, or without an skb.</exception>
    public static ProbeTarget Resolve(BtfTypes btf, ProbeSpec spec) => spec.Kind switch
    {
        ProbeKind.Tracepoint => Tracepoint(btf, spec),
        _ => Function(btf, spec),
    };

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
        return new ProbeTarget(spec with { System = spec.System ?? system }, tracepoint.Typedef.Id, skb, reason, tracepoint.ToString());
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
        return new ProbeTarget(spec, function.Id, skb, reason, signature);
    }
}
