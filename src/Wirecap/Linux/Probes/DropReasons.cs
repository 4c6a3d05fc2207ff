using Wirecap.Ebpf.Btf;

namespace Wirecap.Linux.Probes;

/// <summary>
/// Names of the kernel's <c>enum skb_drop_reason</c> values, read from BTF (the enum grows with every
/// kernel): <c>SKB_DROP_REASON_NO_SOCKET</c> is shown as <c>NO_SOCKET</c>, as Retis shows it.
/// </summary>
internal sealed class DropReasons
{
    private const string Prefix = "SKB_DROP_REASON_";
    private readonly Dictionary<long, string> _names = [];

    public DropReasons(BtfTypes btf)
    {
        if (!btf.TryFind(BtfKind.Enum, "skb_drop_reason", out var reasons)) return;
        foreach (var value in reasons.EnumValues)
            _names.TryAdd(value.Value, value.Name.StartsWith(Prefix, StringComparison.Ordinal) ? value.Name[Prefix.Length..] : value.Name);
    }

    /// <summary>The reason's name, or its number when this kernel's enum does not have it (a subsystem reason, say).</summary>
    public string NameOf(uint reason) => _names.TryGetValue(reason, out var name) ? name : $"reason {reason}";
}
