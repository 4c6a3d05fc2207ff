namespace Wirecap.Ebpf;

/// <summary>What <see cref="EbpfProgram.Load(EbpfCode, EbpfProgramLoadOptions)"/> hands the kernel besides the code.</summary>
public sealed class EbpfProgramLoadOptions
{
    /// <summary>The program type (required).</summary>
    public required EbpfProgramType Type { get; init; }

    /// <summary>The name <c>bpftool prog</c> shows (letters, digits, '_' and '.', at most 15 characters).</summary>
    public string Name { get; init; } = "wirecap";

    /// <summary>The license string; "GPL" (the default) unlocks the GPL-only helpers such as <c>bpf_probe_read_kernel</c>.</summary>
    public string License { get; init; } = "GPL";

    /// <summary><c>expected_attach_type</c>: needed for tcx (<see cref="EbpfAttachType.TcxIngress"/>/<see cref="EbpfAttachType.TcxEgress"/> are
    /// optional there) and for tp_btf (<see cref="EbpfAttachType.TraceRawTracepoint"/>).</summary>
    public EbpfAttachType ExpectedAttachType { get; init; }

    /// <summary><c>attach_btf_id</c>: the BTF type a tracing program attaches to (0 when none).</summary>
    public uint AttachBtfId { get; init; }

    /// <summary>Keep the verifier's statistics log (<c>processed N insns …</c>) of a successful load in
    /// <see cref="EbpfProgram.VerifierLog"/>; off by default (a failed load always reports its log).</summary>
    public bool KeepVerifierLog { get; init; }
}
