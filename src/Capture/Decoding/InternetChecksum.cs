using System.Buffers.Binary;

namespace Capture.Decoding;

/// <summary>The one's complement Internet checksum (RFC 1071) and the IP pseudo-header sums that
/// TCP, UDP and ICMPv6 include.</summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> as big-endian 16-bit words to a running 32-bit sum
    /// (an odd trailing byte is padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        ulong wide = sum;
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
            wide += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        if (i + 2 <= data.Length)
        {
            wide += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            i += 2;
        }
        if (i < data.Length)
            wide += (uint)data[i] << 8;
        while (wide > 0xFFFF_FFFF)
            wide = (wide & 0xFFFF_FFFF) + (wide >> 32);
        return (uint)wide;
    }

    /// <summary>Folds a running sum to 16 bits and complements it: the value to store in a header.</summary>
    public static ushort Finish(uint sum)
    {
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The checksum of <paramref name="data"/> alone (IPv4 header, ICMPv4 message).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>The running sum of the pseudo-header for an upper-layer checksum: source and
    /// destination addresses (4 or 16 bytes each), protocol and upper-layer length.</summary>
    public static uint PseudoHeader(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, int upperLayerLength)
    {
        uint sum = Add(Add(0, source), destination);
        sum += protocol;
        sum += (uint)upperLayerLength >> 16;
        sum += (uint)upperLayerLength & 0xFFFF;
        return sum;
    }
}
