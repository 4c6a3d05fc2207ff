using System.Buffers.Binary;

namespace Wirecap.Formats;

/// <summary>
/// The integer fields the format defines inside option values the library does not name (see <see cref="CaptureOption"/>):
/// swapped between a section's byte order and the little-endian form a <see cref="CaptureOption"/> holds.
/// </summary>
internal static class PcapNgOptionOrder
{
    /// <summary>An option's value as a <see cref="CaptureOption"/> holds it, from a block of <paramref name="bigEndian"/> order.</summary>
    public static CaptureOption Read(uint blockType, ushort code, ReadOnlySpan<byte> value, bool bigEndian)
    {
        var copy = value.ToArray();
        if (bigEndian) Swap(blockType, code, copy);
        return new CaptureOption(code, copy);
    }

    /// <summary>Swaps the integer fields of <paramref name="value"/> in place (either way: the swap is its own inverse).</summary>
    public static void Swap(uint blockType, ushort code, Span<byte> value)
    {
        switch (code)
        {
            case PcapNgOption.CustomString or PcapNgOption.CustomBinary or PcapNgOption.CustomNoCopyString or PcapNgOption.CustomNoCopyBinary:
                Reverse(value, 0, 4); // the private enterprise number; the rest is the organisation's
                return;
        }
        switch (blockType)
        {
            case PcapNgBlockType.InterfaceDescription when code == PcapNgOption.IfTzone:
                Reverse(value, 0, 4);
                break;
            case PcapNgBlockType.InterfaceDescription when code is PcapNgOption.IfTxSpeed or PcapNgOption.IfRxSpeed or PcapNgOption.IfSpeed or PcapNgOption.IfTsOffset:
                Reverse(value, 0, 8);
                break;
            case PcapNgBlockType.EnhancedPacket or PcapNgBlockType.ObsoletePacket when code == PcapNgOption.EpbQueue:
                Reverse(value, 0, 4);
                break;
            // epb_verdict: a type byte, then for the Linux eBPF TC (1) and XDP (2) kinds a 64-bit verdict.
            case PcapNgBlockType.EnhancedPacket or PcapNgBlockType.ObsoletePacket when code == PcapNgOption.EpbVerdict
                && value.Length == 9 && value[0] is 1 or 2:
                Reverse(value, 1, 8);
                break;
        }
    }

    private static void Reverse(Span<byte> value, int offset, int size)
    {
        if (value.Length >= offset + size) value.Slice(offset, size).Reverse();
    }

    /// <summary>Reads the 32-bit value at the start of <paramref name="value"/> in the given order.</summary>
    public static uint UInt32(ReadOnlySpan<byte> value, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadUInt32LittleEndian(value);
}
