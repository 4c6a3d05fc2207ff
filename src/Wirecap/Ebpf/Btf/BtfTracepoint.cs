namespace Wirecap.Ebpf.Btf;

/// <summary>
/// A kernel tracepoint as BTF describes it: the typedef <c>btf_trace_NAME</c>, a pointer to the
/// prototype of the tracepoint's probe function. Its first parameter is the probe's private
/// <c>void *</c> data, which a BPF program never sees; <see cref="Arguments"/> leaves it out, so
/// argument i is <c>ctx-&gt;args[i]</c> in a raw or BTF-typed tracepoint program.
/// </summary>
/// <param name="Name">The tracepoint's name without its system, e.g. <c>netif_receive_skb</c>.</param>
/// <param name="Typedef">The <c>btf_trace_NAME</c> typedef; its id is the <c>attach_btf_id</c> of a tp_btf program.</param>
/// <param name="Prototype">The probe function's prototype, the hidden first parameter included.</param>
public sealed record BtfTracepoint(string Name, BtfType Typedef, BtfType Prototype)
{
    /// <summary>The BTF prefix of tracepoint typedefs.</summary>
    public const string TypedefPrefix = "btf_trace_";

    /// <summary>The arguments a BPF program receives, in order (the hidden <c>void *</c> left out).</summary>
    public IReadOnlyList<BtfParameter> Arguments => Prototype.Parameters.Skip(1).ToArray();

    /// <summary>The index of the first argument that is a pointer to the named struct, or -1.</summary>
    public int IndexOfPointerTo(string structName)
    {
        var arguments = Arguments;
        for (int i = 0; i < arguments.Count; i++)
            if (arguments[i].Type.IsPointerToStruct(structName)) return i;
        return -1;
    }

    /// <summary>C-like signature, e.g. <c>netif_receive_skb(struct sk_buff *skb)</c>.</summary>
    public override string ToString() => $"{Name}({string.Join(", ", Arguments.Select(a => a.Type + (a.Name.Length > 0 ? " " + a.Name : "")))})";
}

public sealed partial class BtfTypes
{
    /// <summary>Every tracepoint typedef (<c>btf_trace_*</c>) in the blob whose target is a function prototype, in id order.</summary>
    public IEnumerable<BtfTracepoint> Tracepoints
    {
        get
        {
            for (int id = 1; id < Count; id++)
                if (IsTracepointTypedef(id) && TracepointOf(new BtfType(this, id)) is { } tracepoint) yield return tracepoint;
        }
    }

    /// <summary>Finds a tracepoint by name (without its system: <c>netif_receive_skb</c>, not <c>net:netif_receive_skb</c>).</summary>
    public bool TryFindTracepoint(string name, out BtfTracepoint tracepoint)
    {
        tracepoint = TryFind(BtfKind.Typedef, BtfTracepoint.TypedefPrefix + name, out var typedef) ? TracepointOf(typedef)! : null!;
        return tracepoint is not null;
    }

    /// <summary>Finds a kernel function (<see cref="BtfKind.Function"/>) by name; its parameters come through its prototype.</summary>
    public bool TryFindFunction(string name, out BtfType function) => TryFind(BtfKind.Function, name, out function);

    private bool IsTracepointTypedef(int id)
    {
        int record = RecordOffset(id);
        if ((BtfKind)((U32(record + 4) >> 24) & 0x1f) != BtfKind.Typedef) return false;
        uint nameOffset = U32(record);
        return nameOffset != 0 && NameBytes(nameOffset).StartsWith("btf_trace_"u8);
    }

    private static BtfTracepoint? TracepointOf(BtfType typedef)
    {
        var pointer = typedef.Referenced.WithoutQualifiers();
        if (pointer.Kind != BtfKind.Pointer) return null;
        var prototype = pointer.Referenced.WithoutQualifiers();
        if (prototype.Kind != BtfKind.FunctionProto) return null;
        return new BtfTracepoint(typedef.Name[BtfTracepoint.TypedefPrefix.Length..], typedef, prototype);
    }
}
