using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wirecap.Bpf;

/// <summary>
/// The buffer a filter runs over: one contiguous span, or a multi-segment sequence whose first
/// segment is kept as a span for the fast path. Positions here are buffer indices (headroom included).
/// </summary>
internal readonly ref struct BpfPacketView
{
    /// <summary>The first contiguous bytes of the buffer (all of it for a span).</summary>
    public readonly ReadOnlySpan<byte> First;

    /// <summary>The whole buffer when it has more than one segment; default otherwise.</summary>
    public readonly ReadOnlySequence<byte> Sequence;

    /// <summary>Total buffer length in bytes.</summary>
    public readonly int BufferLength;

    /// <summary>Buffer index of the filter's offset 0.</summary>
    public readonly int DataOffset;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BpfPacketView(ReadOnlySpan<byte> packet, int dataOffset)
    {
        CheckDataOffset(dataOffset, packet.Length);
        First = packet;
        Sequence = default;
        BufferLength = packet.Length;
        DataOffset = dataOffset;
    }

    public BpfPacketView(in ReadOnlySequence<byte> packet, int dataOffset)
    {
        if (packet.Length > int.MaxValue)
            throw new ArgumentException($"A packet of {packet.Length} bytes is too long to filter.", nameof(packet));
        BufferLength = (int)packet.Length;
        CheckDataOffset(dataOffset, BufferLength);
        First = packet.FirstSpan;
        Sequence = packet.IsSingleSegment ? default : packet;
        DataOffset = dataOffset;
    }

    /// <summary>Bytes from offset 0 to the end of the buffer.</summary>
    public int DataLength => BufferLength - DataOffset;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckDataOffset(int dataOffset, int length)
    {
        if ((uint)dataOffset > (uint)length)
            ThrowDataOffsetOutOfRange(dataOffset, length);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDataOffsetOutOfRange(int dataOffset, int length) =>
        throw new ArgumentOutOfRangeException(nameof(BpfContext.DataOffset), dataOffset,
            $"BpfContext.DataOffset must lie within the {length}-byte packet buffer.");

    /// <summary>Reads <paramref name="size"/> (1, 2 or 4) bytes big-endian at a buffer position; false when out of the buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadBigEndian(long position, int size, out uint value)
    {
        if (position < 0 || position > BufferLength - size)
        {
            value = 0;
            return false;
        }
        if (position + size <= First.Length)
        {
            value = BpfBytes.ReadBigEndian(ref MemoryMarshal.GetReference(First), (nint)position, size);
            return true;
        }
        value = ReadAcrossSegments(position, size);
        return true;
    }

    /// <summary>Reads a little-endian (host order on the kernels we model) 16-bit value; false when out of the buffer.</summary>
    public bool TryReadUInt16LittleEndian(long position, out ushort value)
    {
        if (!TryReadBigEndian(position, 2, out uint bigEndian))
        {
            value = 0;
            return false;
        }
        value = BinaryPrimitives.ReverseEndianness((ushort)bigEndian);
        return true;
    }

    private uint ReadAcrossSegments(long position, int size)
    {
        Span<byte> bytes = stackalloc byte[4];
        Sequence.Slice(position, size).CopyTo(bytes);
        return BpfBytes.ReadBigEndian(ref MemoryMarshal.GetReference(bytes), 0, size);
    }
}
