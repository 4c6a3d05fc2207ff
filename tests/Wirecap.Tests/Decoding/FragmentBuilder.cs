using System.Buffers.Binary;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;

namespace Wirecap.Tests.Decoding;

/// <summary>Builds IPv4/IPv6 UDP datagrams and splits them into fragments, for reassembly tests.</summary>
internal static class FragmentBuilder
{
    public static byte[] IPv4Datagram(int payloadLength, ushort id = 0x1234, byte seed = 1, byte[]? options = null)
    {
        int headerLength = 20 + (options?.Length ?? 0);
        var payload = new byte[payloadLength];
        for (int i = 0; i < payloadLength; i++) payload[i] = (byte)((headerLength + i) * 7 + seed);
        return FrameBuilder.Ipv4([10, 0, 0, 1], [10, 0, 0, 2], IpProtocols.Udp, payload, id, fragment: 0, options: options);
    }

    /// <summary>Splits an IPv4 datagram at the given payload offsets (multiples of 8).</summary>
    public static List<byte[]> FragmentIPv4(byte[] datagram, params int[] cuts)
    {
        int headerLength = (datagram[0] & 0xf) * 4;
        int payload = datagram.Length - headerLength;
        var bounds = cuts.Append(payload).Prepend(0).ToArray();
        var result = new List<byte[]>();
        for (int i = 0; i + 1 < bounds.Length; i++)
        {
            int start = bounds[i], end = bounds[i + 1];
            var f = new byte[headerLength + end - start];
            datagram.AsSpan(0, headerLength).CopyTo(f);
            datagram.AsSpan(headerLength + start, end - start).CopyTo(f.AsSpan(headerLength));
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(2), (ushort)f.Length);
            ushort flags = (ushort)((end < payload ? 0x2000 : 0) | start / 8);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(6), flags);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(10), 0);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(10), InternetChecksum.Compute(f.AsSpan(0, headerLength)));
            result.Add(f);
        }
        return result;
    }

    /// <summary>An IPv6 UDP datagram with a hop-by-hop header of <paramref name="hopByHopUnits"/> × 8 bytes (0 = none).</summary>
    public static byte[] IPv6Datagram(int payloadLength, int hopByHopUnits = 0, byte seed = 3)
    {
        int ext = hopByHopUnits * 8;
        var payload = new byte[ext + payloadLength];
        if (ext > 0)
        {
            payload[0] = IpProtocols.Udp;
            payload[1] = (byte)(hopByHopUnits - 1);
            payload[2] = 1; // PadN option filling the rest
            payload[3] = (byte)(ext - 4);
        }
        for (int i = ext; i < payload.Length; i++) payload[i] = (byte)((40 + i) * 13 + seed);
        byte[] source = System.Net.IPAddress.Parse("2001::1").GetAddressBytes(), destination = System.Net.IPAddress.Parse("2001::2").GetAddressBytes();
        return FrameBuilder.Ipv6(source, destination, ext > 0 ? (byte)0 : IpProtocols.Udp, payload);
    }

    /// <summary>Splits an IPv6 datagram (with optional hop-by-hop header) into fragments carrying a Fragment header.</summary>
    public static List<byte[]> FragmentIPv6(byte[] datagram, uint id, params int[] cuts)
    {
        int unfragmentable = datagram[6] == 0 ? 40 + (datagram[41] + 1) * 8 : 40;
        int nextHeaderPosition = datagram[6] == 0 ? 40 : 6;
        byte upper = datagram[nextHeaderPosition];
        int payload = datagram.Length - unfragmentable;
        var bounds = cuts.Append(payload).Prepend(0).ToArray();
        var result = new List<byte[]>();
        for (int i = 0; i + 1 < bounds.Length; i++)
        {
            int start = bounds[i], end = bounds[i + 1];
            var f = new byte[unfragmentable + 8 + end - start];
            datagram.AsSpan(0, unfragmentable).CopyTo(f);
            f[nextHeaderPosition] = 44;
            f[unfragmentable] = upper;
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(unfragmentable + 2), (ushort)(start | (end < payload ? 1 : 0)));
            BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(unfragmentable + 4), id);
            datagram.AsSpan(unfragmentable + start, end - start).CopyTo(f.AsSpan(unfragmentable + 8));
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(4), (ushort)(f.Length - 40));
            result.Add(f);
        }
        return result;
    }
}
