using Wirecap.Bpf;

namespace Wirecap.Ebpf.Translation;

/// <summary>Where an absolute classic load (<c>ld [k]</c>, <c>ldxb 4*([k]&amp;0xf)</c>, not an ancillary one) reads.</summary>
internal enum CbpfAddressKind
{
    /// <summary>A byte offset from the packet's first byte.</summary>
    Packet,
    /// <summary>Relative to the network header (<c>SKF_NET_OFF</c>), which the hook cannot locate.</summary>
    NetworkRelative,
    /// <summary>A load that fails whatever the packet: the result is 0.</summary>
    Fails,
}

/// <summary>Resolves the constant offset of an absolute load as the kernel's classic loader does: non-negative k from
/// the frame start; <c>SKF_LL_OFF + d</c> from the mac header, which at both hooks is the frame start; <c>SKF_NET_OFF + d</c>
/// from the network header; anything lower fails. A load whose end lies beyond the limit fails too.</summary>
internal static class CbpfAddress
{
    /// <summary>No linear packet area is longer than this, so a header-relative load further away fails.</summary>
    private const long MaxLinear = 0xffff;

    public static (CbpfAddressKind Kind, int Offset) Resolve(uint k, int size, int limit)
    {
        int signed = (int)k;
        long offset;
        if (signed >= 0) offset = signed;
        else if (signed >= BpfAncillary.NetOffset)
            return signed - (long)BpfAncillary.NetOffset + size > MaxLinear ? (CbpfAddressKind.Fails, 0) : (CbpfAddressKind.NetworkRelative, 0);
        else if (signed >= BpfAncillary.LinkLayerOffset) offset = signed - (long)BpfAncillary.LinkLayerOffset;
        else return (CbpfAddressKind.Fails, 0);
        return offset + size > limit ? (CbpfAddressKind.Fails, 0) : (CbpfAddressKind.Packet, (int)offset);
    }
}
