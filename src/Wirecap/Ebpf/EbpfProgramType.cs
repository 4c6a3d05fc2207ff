namespace Wirecap.Ebpf;

/// <summary>Program types (<c>enum bpf_prog_type</c>): what context the program gets and which helpers it may call.</summary>
public enum EbpfProgramType
{
    /// <summary>Socket filter (<c>BPF_PROG_TYPE_SOCKET_FILTER</c>).</summary>
    SocketFilter = 1,
    /// <summary>Kprobe (<c>BPF_PROG_TYPE_KPROBE</c>): context <c>struct pt_regs *</c>, the registers at the probed
    /// instruction; kernel memory is read with <c>bpf_probe_read_kernel</c>.</summary>
    Kprobe = 2,
    /// <summary>TC classifier (<c>BPF_PROG_TYPE_SCHED_CLS</c>): context <c>struct __sk_buff</c>, direct packet access; for tcx and cls_bpf.</summary>
    SchedClassifier = 3,
    /// <summary>Perf tracepoint (<c>BPF_PROG_TYPE_TRACEPOINT</c>).</summary>
    Tracepoint = 5,
    /// <summary>XDP (<c>BPF_PROG_TYPE_XDP</c>).</summary>
    Xdp = 6,
    /// <summary>Raw tracepoint (<c>BPF_PROG_TYPE_RAW_TRACEPOINT</c>): context is the tracepoint's u64 arguments.</summary>
    RawTracepoint = 17,
    /// <summary>BTF-typed tracing (<c>BPF_PROG_TYPE_TRACING</c>): tp_btf, fentry, fexit.</summary>
    Tracing = 26,
}

/// <summary>Attach types (<c>enum bpf_attach_type</c>), for <c>expected_attach_type</c> and <c>BPF_LINK_CREATE</c>.</summary>
public enum EbpfAttachType
{
    /// <summary>None (most program types need no expected attach type).</summary>
    None = 0,
    /// <summary>BTF raw tracepoint (<c>BPF_TRACE_RAW_TP</c>), for <see cref="EbpfProgramType.Tracing"/> tp_btf programs.</summary>
    TraceRawTracepoint = 23,
    /// <summary>A perf event (<c>BPF_PERF_EVENT</c>, kernel ≥ 5.15): a <see cref="EbpfProgramType.Kprobe"/> program on a
    /// <see cref="KprobeEvent"/>, whose descriptor is the link's target.</summary>
    PerfEvent = 41,
    /// <summary>TC ingress through tcx (<c>BPF_TCX_INGRESS</c>, kernel ≥ 6.6).</summary>
    TcxIngress = 46,
    /// <summary>TC egress through tcx (<c>BPF_TCX_EGRESS</c>, kernel ≥ 6.6).</summary>
    TcxEgress = 47,
}
