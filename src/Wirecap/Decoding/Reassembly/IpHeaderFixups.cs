using System.Buffers.Binary;

namespace Wirecap.Decoding;

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
        BinaryPrimitives.WriteUInt16BigEndian(datagram[10..], InternetChecksum.Compute(datagram[..headerLength]));
    }

    public static void CompleteIPv6(Span<byte> datagram) =>
        BinaryPrimitives.WriteUInt16BigEndian(datagram[4..], (ushort)(datagram.Length - 40));
}
