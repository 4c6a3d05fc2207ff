using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Wirecap.Bpf;

/// <summary>Unchecked big-endian reads for callers that have already checked the bounds.</summary>
internal static class BpfBytes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadUInt32(ref byte start, nint offset)
    {
        uint raw = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadUInt16(ref byte start, nint offset)
    {
        ushort raw = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadBigEndian(ref byte start, nint offset, int size) => size switch
    {
        4 => ReadUInt32(ref start, offset),
        2 => ReadUInt16(ref start, offset),
        _ => Unsafe.Add(ref start, offset),
    };
}
