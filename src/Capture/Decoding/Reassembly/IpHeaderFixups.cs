using System.Buffers.Binary;

namespace Capture.Decoding;

/// <summary>Turns the first fragment's header into the header of the whole datagram.</summary>
internal static class IpHeaderFixups
{
    public static void CompleteIPv4(Span<byte> datagram)
    {
        int headerLength = (datagram[0] & 0x0f) * 4;
        BinaryPrimitives.WriteUInt16BigEndian(datagram[2..], (ushort)datagram.Length);
        // Keep DF, clear MF and the fragment offset.
        datagram[6] &= 0x40;
        datagram[7] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(datagram[10..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[10..], InternetChecksum(datagram[..headerLength]));
    }

    public static void CompleteIPv6(Span<byte> datagram) =>
        BinaryPrimitives.WriteUInt16BigEndian(datagram[4..], (ushort)(datagram.Length - 40));

    public static ushort InternetChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (uint)data[i] << 8;
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
