using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Tests.Formats;

/// <summary>
/// Hand-made pcapng blocks in either byte order, independent of the library's writer: sections whose
/// blocks carry every option a copy must keep.
/// </summary>
public sealed class EndianBlocks(bool bigEndian)
{
    public byte[] Block(uint type, byte[] body)
    {
        int length = 12 + Pad(body.Length);
        var block = new byte[length];
        U32(type).CopyTo(block, 0);
        U32((uint)length).CopyTo(block, 4);
        body.CopyTo(block, 8);
        U32((uint)length).CopyTo(block, length - 4);
        return block;
    }

    public byte[] SectionHeader(byte[] options) =>
        Block(0x0A0D0D0A, [.. U32(0x1A2B3C4D), .. U16(1), .. U16(0), .. U64(ulong.MaxValue), .. options]);

    public byte[] InterfaceDescription(ushort linkType, uint snapLength, byte[] options) =>
        Block(1, [.. U16(linkType), .. U16(0), .. U32(snapLength), .. options]);

    public byte[] EnhancedPacket(uint interfaceId, ulong units, byte[] data, uint originalLength, byte[] options) =>
        Block(6, [.. U32(interfaceId), .. U32((uint)(units >> 32)), .. U32((uint)units), .. U32((uint)data.Length),
            .. U32(originalLength), .. Padded(data), .. options]);

    public byte[] SimplePacket(uint originalLength, byte[] data) => Block(3, [.. U32(originalLength), .. Padded(data)]);

    public byte[] Statistics(uint interfaceId, ulong units, byte[] options) =>
        Block(5, [.. U32(interfaceId), .. U32((uint)(units >> 32)), .. U32((uint)units), .. options]);

    public byte[] NameResolution(byte[] ipv4, string name, byte[] options)
    {
        var value = ipv4.Concat(Encoding.UTF8.GetBytes(name)).Append((byte)0).ToArray();
        return Block(4, [.. U16(1), .. U16((ushort)value.Length), .. Padded(value), .. U32(0), .. options]);
    }

    public byte[] DecryptionSecrets(uint kind, byte[] secrets, byte[] options) =>
        Block(0x0A, [.. U32(kind), .. U32((uint)secrets.Length), .. Padded(secrets), .. options]);

    public byte[] Custom(bool copyable, uint pen, byte[] data) => Block(copyable ? 0x00000BADu : 0x40000BADu, [.. U32(pen), .. data]);

    public byte[] Option(ushort code, byte[] value) => [.. U16(code), .. U16((ushort)value.Length), .. Padded(value)];

    public byte[] Option(ushort code, string value) => Option(code, Encoding.UTF8.GetBytes(value));

    public static byte[] End => [0, 0, 0, 0];

    public byte[] U16(ushort v) { var b = new byte[2]; if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v); return b; }
    public byte[] U32(uint v) { var b = new byte[4]; if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
    public byte[] U64(ulong v) { var b = new byte[8]; if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(b, v); else BinaryPrimitives.WriteUInt64LittleEndian(b, v); return b; }

    private static int Pad(int n) => (n + 3) & ~3;
    private static byte[] Padded(byte[] data) => [.. data, .. new byte[Pad(data.Length) - data.Length]];
}
