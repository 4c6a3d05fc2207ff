using System.Buffers.Binary;

namespace Wirecap.Tests.Formats;

/// <summary>
/// Rewrites a little-endian classic pcap file in big-endian byte order, field by field, without
/// using the library (so it can serve as an independent source of swapped files).
/// </summary>
public static class ByteSwap
{
    public static byte[] PcapToBigEndian(byte[] file)
    {
        var output = (byte[])file.Clone();
        Swap32(output, 0);
        Swap16(output, 4);
        Swap16(output, 6);
        for (int field = 8; field < 24; field += 4) Swap32(output, field);
        int offset = 24;
        while (offset + 16 <= file.Length)
        {
            int captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8));
            for (int field = 0; field < 16; field += 4) Swap32(output, offset + field);
            offset += 16 + captured;
        }
        return output;
    }

    private static void Swap32(byte[] b, int at) =>
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)));

    private static void Swap16(byte[] b, int at) =>
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)));
}
