using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>The RFC 1071 ones'-complement checksum, including the IPv4/IPv6 pseudo-headers of UDP, TCP and ICMPv6.</summary>
public static class InternetChecksum
{
    /// <summary>The checksum of <paramref name="data"/> alone (as stored in an IPv4 header).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>
    /// True when a transport segment (its checksum field included) sums to zero with its
    /// pseudo-header: source and destination addresses (4 or 16 bytes each), protocol and length.
    /// </summary>
    public static bool VerifyTransport(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        ulong sum = Add(0, source);
        sum = Add(sum, destination);
        sum += protocol;
        sum += (uint)segment.Length;
        return Finish(Add(sum, segment)) == 0;
    }

    /// <summary>The checksum to store in a transport header: <paramref name="segment"/> must hold
    /// zero in its checksum field. Protocol 1 (ICMP over IPv4) has no pseudo-header.</summary>
    public static ushort ComputeTransport(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        if (protocol == 1) return Compute(segment);
        ulong sum = Add(0, source);
        sum = Add(sum, destination);
        sum += protocol;
        sum += (uint)segment.Length;
        return Finish(Add(sum, segment));
    }

    private static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 4 <= data.Length; i += 4) sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        for (; i + 2 <= data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (uint)data[i] << 8;
        return sum;
    }

    private static ushort Finish(ulong sum)
    {
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
