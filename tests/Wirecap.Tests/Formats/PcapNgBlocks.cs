using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Tests.Formats;

/// <summary>
/// Hand-made pcapng blocks (little-endian), independent of the library's writer: the block
/// kinds our writer never produces (simple and obsolete packets, name resolution, decryption
/// secrets, custom) and deliberately broken ones.
/// </summary>
public static class PcapNgBlocks
{
    public static byte[] Block(uint type, byte[] body)
    {
        int length = 12 + Pad(body.Length);
        var block = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)length);
        body.CopyTo(block, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(length - 4), (uint)length);
        return block;
    }

    public static byte[] SectionHeader(ushort major = 1, ushort minor = 0) =>
        Block(0x0A0D0D0A, [.. U32(0x1A2B3C4D), .. U16(major), .. U16(minor), .. U64(ulong.MaxValue)]);

    public static byte[] InterfaceDescription(ushort linkType, uint snapLength, byte[]? options = null) =>
        Block(1, [.. U16(linkType), .. U16(0), .. U32(snapLength), .. options ?? []]);

    public static byte[] EnhancedPacket(uint interfaceId, ulong units, byte[] data, uint? originalLength = null, byte[]? options = null) =>
        Block(6, [.. U32(interfaceId), .. U32((uint)(units >> 32)), .. U32((uint)units), .. U32((uint)data.Length),
            .. U32(originalLength ?? (uint)data.Length), .. Padded(data), .. options ?? []]);

    public static byte[] SimplePacket(uint originalLength, byte[] data) => Block(3, [.. U32(originalLength), .. Padded(data)]);

    public static byte[] ObsoletePacket(ushort interfaceId, ushort drops, ulong units, byte[] data) =>
        Block(2, [.. U16(interfaceId), .. U16(drops), .. U32((uint)(units >> 32)), .. U32((uint)units),
            .. U32((uint)data.Length), .. U32((uint)data.Length), .. Padded(data)]);

    public static byte[] NameResolution(byte[] ipv4, params string[] names)
    {
        var value = ipv4.Concat(names.SelectMany(n => Encoding.UTF8.GetBytes(n).Append((byte)0))).ToArray();
        return Block(4, [.. U16(1), .. U16((ushort)value.Length), .. Padded(value), .. U32(0)]);
    }

    public static byte[] DecryptionSecrets() => Block(0x0A, [.. U32(0x544c534b), .. U32(4), 1, 2, 3, 4]);

    public static byte[] Custom() => Block(0x00000BAD, [.. U32(32473), 9, 9, 9, 9]);

    public static byte[] Option(ushort code, byte[] value) => [.. U16(code), .. U16((ushort)value.Length), .. Padded(value)];

    public static byte[] EndOfOptions => [0, 0, 0, 0];

    public static byte[] U16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); return b; }
    public static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
    public static byte[] U64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); return b; }

    private static int Pad(int n) => (n + 3) & ~3;
    private static byte[] Padded(byte[] data) => [.. data, .. new byte[Pad(data.Length) - data.Length]];
}
