namespace Wirecap.Decoding;

/// <summary>Limits for <see cref="FragmentReassembler"/>.</summary>
public sealed class ReassemblyOptions
{
    /// <summary>
    /// How long an incomplete datagram waits for its missing fragments, measured on packet
    /// timestamps (not the wall clock), so replaying a file behaves like the live capture did.
    /// Default 60 s, as ncap's reassembler.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Upper bound on the memory held by incomplete datagrams (fragment bytes plus a fixed
    /// bookkeeping charge per fragment). When a new fragment would exceed it the oldest
    /// incomplete datagrams are evicted and counted as <see cref="FragmentDropReason.MemoryCap"/>.
    /// Default 4 MiB.
    /// </summary>
    public long MemoryLimit { get; init; } = 4 * 1024 * 1024;

    /// <summary>Bytes charged per stored fragment on top of its payload, so floods of tiny fragments are bounded too.</summary>
    internal const int PerFragmentOverhead = 64;
}
