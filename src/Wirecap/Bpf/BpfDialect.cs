namespace Wirecap.Bpf;

/// <summary>Which classic BPF machine a program is validated for and run as.</summary>
public enum BpfDialect
{
    /// <summary>
    /// The Linux kernel's socket filter (<c>bpf_check_classic</c> + <c>sk_run_filter</c> semantics):
    /// ancillary loads, <c>SKF_NET_OFF</c>/<c>SKF_LL_OFF</c> negative offsets, shifts by X use X &amp; 31,
    /// forward jumps only, at most 4096 instructions.
    /// </summary>
    Kernel,

    /// <summary>
    /// libpcap's userland <c>bpf_filter</c> (the rules of libpcap 1.10.3, what Debian 12 ships):
    /// loads bounded by the captured bytes, no ancillary loads or negative offsets, shifts by
    /// X &gt;= 32 give 0, backward <c>ja</c> allowed, no length limit.
    /// </summary>
    Libpcap,
}
