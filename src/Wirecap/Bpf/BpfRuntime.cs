using System.Runtime.CompilerServices;

namespace Wirecap.Bpf;

/// <summary>
/// The slow and dialect-specific parts of running a classic BPF instruction, shared by
/// <see cref="BpfInterpreter"/> and the IL compiler: bounds-checked packet loads (kernel rules with
/// negative offsets, libpcap rules without wrap-around) and the ancillary loads.
/// </summary>
internal static class BpfRuntime
{
    /// <summary>
    /// Kernel load of 1, 2 or 4 bytes at the signed filter offset <paramref name="offset"/>:
    /// non-negative offsets read from offset 0 to the end of the buffer; negative ones are
    /// <c>SKF_NET_OFF</c>/<c>SKF_LL_OFF</c> relative and limited to the linear area.
    /// False means the filter must return 0.
    /// </summary>
    public static bool TryLoadKernel(in BpfPacketView packet, in BpfContext context, int offset, int size, out uint value)
    {
        if (offset >= 0)
        {
            if (offset > packet.DataLength - size)
            {
                value = 0;
                return false;
            }
            return packet.TryReadBigEndian(packet.DataOffset + (long)offset, size, out value);
        }
        return TryLoadHeaderRelative(packet, context, offset, size, out value);
    }

    private static bool TryLoadHeaderRelative(in BpfPacketView packet, in BpfContext context, int offset, int size, out uint value)
    {
        value = 0;
        long position;
        if (offset >= BpfAncillary.NetOffset)
            position = context.NetworkHeaderOffset + (long)(offset - BpfAncillary.NetOffset);
        else if (offset >= BpfAncillary.LinkLayerOffset && !context.LinkLayerHeaderMissing)
            position = context.LinkLayerHeaderOffset + (long)(offset - BpfAncillary.LinkLayerOffset);
        else
            return false;
        long linearEnd = LinearEnd(packet, context);
        if (position < -packet.DataOffset || position + size > linearEnd)
            return false;
        return packet.TryReadBigEndian(packet.DataOffset + position, size, out value);
    }

    /// <summary>End of the kernel's linear area, relative to offset 0.</summary>
    public static long LinearEnd(in BpfPacketView packet, in BpfContext context) =>
        context.LinearLength > 0 ? Math.Min(context.LinearLength, packet.DataLength) : packet.DataLength;

    /// <summary>
    /// libpcap load: <paramref name="offset"/> is unsigned and computed without wrap-around
    /// (X + k as a 64-bit sum), valid only when all bytes lie between offset 0 and the buffer end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryLoadLibpcap(in BpfPacketView packet, ulong offset, int size, out uint value)
    {
        if (offset + (ulong)size > (ulong)packet.DataLength)
        {
            value = 0;
            return false;
        }
        return packet.TryReadBigEndian(packet.DataOffset + (long)offset, size, out value);
    }

    /// <summary>
    /// libpcap's <c>ldb [k]</c> for the two VLAN extensions it knows; false when <paramref name="k"/>
    /// is not one of them or no auxiliary data is available (then it is an ordinary, failing load).
    /// </summary>
    public static bool TryLibpcapVlanAncillary(uint k, in BpfContext context, out uint value)
    {
        value = 0;
        if (!context.LibpcapVlanAuxiliaryData)
            return false;
        if (k == BpfAncillary.Base + BpfAncillary.VlanTag)
            value = context.VlanTci;
        else if (k == BpfAncillary.Base + BpfAncillary.VlanTagPresent)
            value = context.VlanTagPresent ? 1u : 0u;
        else
            return false;
        return true;
    }

    /// <summary>
    /// The kernel's ancillary load <c>ld [SKF_AD_OFF + n]</c> (k = <paramref name="k"/>, size ignored):
    /// the new value of A. The validator guarantees <paramref name="k"/> names a known extension.
    /// </summary>
    public static uint KernelAncillary(uint k, in BpfPacketView packet, in BpfContext context, uint a, uint x) =>
        (int)(k - BpfAncillary.Base) switch
        {
            BpfAncillary.Protocol => context.Protocol,
            BpfAncillary.PacketType => (uint)context.PacketType,
            BpfAncillary.InterfaceIndex => (uint)context.InterfaceIndex,
            BpfAncillary.NetlinkAttribute => BpfNetlinkAttributes.Find(packet, context, a, x),
            BpfAncillary.NetlinkAttributeNested => BpfNetlinkAttributes.FindNested(packet, context, a, x),
            BpfAncillary.Mark => context.Mark,
            BpfAncillary.Queue => context.Queue,
            BpfAncillary.HardwareType => context.HardwareType,
            BpfAncillary.ReceiveHash => context.ReceiveHash,
            BpfAncillary.Cpu => (uint)(context.Cpu ?? Thread.GetCurrentProcessorId()),
            BpfAncillary.AluXorX => a ^ x,
            BpfAncillary.VlanTag => context.VlanTci,
            BpfAncillary.VlanTagPresent => context.VlanTagPresent ? 1u : 0u,
            BpfAncillary.PayloadOffset => BpfPayloadOffset.Compute(packet, context),
            BpfAncillary.Random => context.Random is { } random ? random() : (uint)System.Random.Shared.NextInt64(1L << 32),
            BpfAncillary.VlanTpid => context.VlanTpid,
            _ => throw new InvalidOperationException($"Unknown ancillary load k=0x{k:x8} reached the interpreter; programs are validated first."),
        };

    /// <summary>True when <paramref name="k"/> names an ancillary extension the kernel knows.</summary>
    public static bool IsKnownAncillary(uint k)
    {
        uint n = k - BpfAncillary.Base;
        return k >= BpfAncillary.Base && n < BpfAncillary.Max && n % 4 == 0;
    }
}
