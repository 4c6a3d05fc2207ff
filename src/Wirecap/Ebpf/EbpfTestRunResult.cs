namespace Wirecap.Ebpf;

/// <summary>What one <c>BPF_PROG_TEST_RUN</c> returned.</summary>
/// <param name="ReturnValue">The program's return value (R0, truncated to 32 bits).</param>
/// <param name="DurationNs">The kernel's mean run time per repetition in nanoseconds.</param>
/// <param name="DataOut">The packet after the run, as many bytes as the output buffer took.</param>
public readonly record struct EbpfTestRunResult(uint ReturnValue, uint DurationNs, int DataOut);
