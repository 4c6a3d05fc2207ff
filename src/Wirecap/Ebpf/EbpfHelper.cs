namespace Wirecap.Ebpf;

/// <summary>Kernel helper functions a program calls by number (<c>enum bpf_func_id</c>); the names are those the
/// verifier log prints, without the <c>bpf_</c> prefix.</summary>
public enum EbpfHelper
{
    /// <summary><c>void *bpf_map_lookup_elem(map, key)</c>.</summary>
    MapLookupElement = 1,
    /// <summary><c>long bpf_map_update_elem(map, key, value, flags)</c>.</summary>
    MapUpdateElement = 2,
    /// <summary><c>long bpf_probe_read(dst, size, src)</c> (before 5.5; use <see cref="ProbeReadKernel"/>).</summary>
    ProbeRead = 4,
    /// <summary><c>u64 bpf_ktime_get_ns(void)</c>: CLOCK_MONOTONIC in nanoseconds.</summary>
    KtimeGetNs = 5,
    /// <summary><c>u32 bpf_get_smp_processor_id(void)</c>.</summary>
    GetSmpProcessorId = 8,
    /// <summary><c>u64 bpf_get_current_pid_tgid(void)</c>.</summary>
    GetCurrentPidTgid = 14,
    /// <summary><c>long bpf_skb_load_bytes(skb, offset, to, len)</c>: copies packet bytes, also from paged data.</summary>
    SkbLoadBytes = 26,
    /// <summary><c>long bpf_skb_load_bytes_relative(skb, offset, to, len, start_header)</c>.</summary>
    SkbLoadBytesRelative = 68,
    /// <summary><c>long bpf_probe_read_kernel(dst, size, unsafe_ptr)</c> (GPL).</summary>
    ProbeReadKernel = 113,
    /// <summary><c>u64 bpf_ktime_get_boot_ns(void)</c>: CLOCK_BOOTTIME.</summary>
    KtimeGetBootNs = 125,
    /// <summary><c>long bpf_ringbuf_output(ringbuf, data, size, flags)</c>.</summary>
    RingbufOutput = 130,
    /// <summary><c>void *bpf_ringbuf_reserve(ringbuf, size, flags)</c>: null when the ring is full.</summary>
    RingbufReserve = 131,
    /// <summary><c>void bpf_ringbuf_submit(data, flags)</c>.</summary>
    RingbufSubmit = 132,
    /// <summary><c>void bpf_ringbuf_discard(data, flags)</c>.</summary>
    RingbufDiscard = 133,
    /// <summary><c>u64 bpf_ringbuf_query(ringbuf, flags)</c>: e.g. the bytes not yet consumed (<c>BPF_RB_AVAIL_DATA</c>).</summary>
    RingbufQuery = 134,
    /// <summary><c>u64 bpf_get_attach_cookie(ctx)</c>.</summary>
    GetAttachCookie = 174,
}

/// <summary>The helper names of the kernel's <c>__BPF_FUNC_MAPPER</c>, as the verifier log prints calls.</summary>
internal static class EbpfHelperNames
{
    /// <summary>The kernel's name of helper <paramref name="id"/> (e.g. <c>bpf_ringbuf_reserve</c>), or null when this library does not know it.</summary>
    public static string? NameOf(int id) => (EbpfHelper)id switch
    {
        EbpfHelper.MapLookupElement => "bpf_map_lookup_elem",
        EbpfHelper.MapUpdateElement => "bpf_map_update_elem",
        EbpfHelper.ProbeRead => "bpf_probe_read",
        EbpfHelper.KtimeGetNs => "bpf_ktime_get_ns",
        EbpfHelper.GetSmpProcessorId => "bpf_get_smp_processor_id",
        EbpfHelper.GetCurrentPidTgid => "bpf_get_current_pid_tgid",
        EbpfHelper.SkbLoadBytes => "bpf_skb_load_bytes",
        EbpfHelper.SkbLoadBytesRelative => "bpf_skb_load_bytes_relative",
        EbpfHelper.ProbeReadKernel => "bpf_probe_read_kernel",
        EbpfHelper.KtimeGetBootNs => "bpf_ktime_get_boot_ns",
        EbpfHelper.RingbufOutput => "bpf_ringbuf_output",
        EbpfHelper.RingbufReserve => "bpf_ringbuf_reserve",
        EbpfHelper.RingbufSubmit => "bpf_ringbuf_submit",
        EbpfHelper.RingbufDiscard => "bpf_ringbuf_discard",
        EbpfHelper.RingbufQuery => "bpf_ringbuf_query",
        EbpfHelper.GetAttachCookie => "bpf_get_attach_cookie",
        _ => null,
    };
}
