namespace Wirecap.Decoding;

/// <summary>Why a fragmented datagram (or a fragment) was given up.</summary>
public enum FragmentDropReason
{
    /// <summary>A fragment whose header is inconsistent (a non-final fragment not a multiple of 8 bytes, two different ends, data past the end).</summary>
    Malformed,
    /// <summary>Fragments that overlap with different bytes (RFC 5722 for IPv6; the same policy for IPv4, as Linux does).</summary>
    Overlap,
    /// <summary>The reassembled datagram would exceed 65,535 bytes.</summary>
    TooLarge,
    /// <summary>Evicted to keep incomplete datagrams under <see cref="ReassemblyOptions.MemoryLimit"/>.</summary>
    MemoryCap,
    /// <summary>Not completed within <see cref="ReassemblyOptions.Timeout"/>.</summary>
    Expired,
}
