namespace Wirecap.Ebpf;

/// <summary>The map types this library creates (<c>enum bpf_map_type</c>).</summary>
public enum EbpfMapType
{
    /// <summary>Fixed-size array indexed by a u32 key (<c>BPF_MAP_TYPE_ARRAY</c>).</summary>
    Array = 2,
    /// <summary>One array per possible CPU (<c>BPF_MAP_TYPE_PERCPU_ARRAY</c>): lock-free counters.</summary>
    PerCpuArray = 6,
    /// <summary>Multi-producer, single-consumer ring shared with user space through <c>mmap</c> (<c>BPF_MAP_TYPE_RINGBUF</c>, kernel ≥ 5.8).</summary>
    RingBuffer = 27,
}
