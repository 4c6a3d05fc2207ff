namespace Wirecap.Linux.Probes;

/// <summary>Where in the kernel a probe attaches.</summary>
public enum ProbeKind
{
    /// <summary>A kernel tracepoint with a <c>struct sk_buff *</c> argument (BTF-typed tracepoint program, raw tracepoint as the fallback).</summary>
    Tracepoint,
    /// <summary>The entry of a kernel function taking an skb, through a kprobe (needs <c>CONFIG_KPROBES</c>).</summary>
    Kprobe,
    /// <summary>The entry of a kernel function taking an skb, through a BPF trampoline (fentry).</summary>
    Fentry,
}
