using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>The 4-byte address-family header of BSD loopback captures: LINKTYPE_NULL (in the byte
/// order of the capturing host) and LINKTYPE_LOOP (network byte order).</summary>
public static class LoopbackHeader
{
    /// <summary>Header length.</summary>
    public const int Length = 4;
    /// <summary>AF_INET on every system.</summary>
    public const uint AfInet = 2;

    /// <summary>Reads the address family. For NULL the byte order is unknown, so a value with
    /// its low 16 bits zero is taken as written by a host of the other byte order (address
    /// families are small numbers).</summary>
    public static bool TryReadFamily(ReadOnlySpan<byte> frame, bool networkOrder, out uint family)
    {
        family = 0;
        if (frame.Length < Length) return false;
        family = networkOrder
            ? BinaryPrimitives.ReadUInt32BigEndian(frame)
            : BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (!networkOrder && (family & 0xFFFF) == 0)
            family = BinaryPrimitives.ReverseEndianness(family);
        return true;
    }

    /// <summary>The EtherType the address family stands for (0 when it is not IP). AF_INET6 is
    /// 10 on Linux, 24 on NetBSD/OpenBSD, 28 on FreeBSD and 30 on macOS.</summary>
    public static ushort EtherTypeOf(uint family) => family switch
    {
        AfInet => EtherTypes.IPv4,
        10 or 24 or 28 or 30 => EtherTypes.IPv6,
        _ => 0,
    };
}
