namespace Wirecap.Bpf;

/// <summary>
/// The kernel's <c>SKF_AD_NLATTR</c> and <c>SKF_AD_NLATTR_NEST</c> (<c>bpf_skb_get_nlattr{,_nest}</c>):
/// a linear search for a netlink attribute of type X, returning its offset from offset 0, or 0.
/// Attribute headers (<c>struct nlattr</c>: u16 length, u16 type) are read little-endian, the byte
/// order of the x86/arm64 hosts this library targets. Guard failures give 0 and the program goes on,
/// as in today's kernel.
/// </summary>
internal static class BpfNetlinkAttributes
{
    private const int HeaderLength = 4;
    private const int TypeMask = 0x3fff; // NLA_TYPE_MASK: drops NLA_F_NESTED and NLA_F_NET_BYTEORDER

    /// <summary><c>nla_find(data + a, len - a, x)</c>.</summary>
    public static uint Find(in BpfPacketView packet, in BpfContext context, uint a, uint x)
    {
        if (!Guard(packet, context, a))
            return 0;
        return Search(packet, a, packet.DataLength - (long)a, x);
    }

    /// <summary><c>nla_find_nested(data + a, x)</c> after checking the outer attribute fits.</summary>
    public static uint FindNested(in BpfPacketView packet, in BpfContext context, uint a, uint x)
    {
        if (!Guard(packet, context, a))
            return 0;
        packet.TryReadUInt16LittleEndian(packet.DataOffset + (long)a, out ushort outerLength);
        if (outerLength > packet.DataLength - (long)a)
            return 0;
        return Search(packet, a + (long)HeaderLength, outerLength - HeaderLength, x);
    }

    private static bool Guard(in BpfPacketView packet, in BpfContext context, uint a)
    {
        int length = packet.DataLength;
        bool linear = BpfRuntime.LinearEnd(packet, context) >= length;
        return linear && length >= HeaderLength && a <= (uint)(length - HeaderLength);
    }

    // nla_for_each_attr: an attribute is usable while its header fits in what remains and its
    // length is at least a header and at most what remains; the next one starts NLA_ALIGN(len) later.
    private static uint Search(in BpfPacketView packet, long start, long remaining, uint type)
    {
        long position = start;
        while (remaining >= HeaderLength)
        {
            packet.TryReadUInt16LittleEndian(packet.DataOffset + position, out ushort length);
            if (length < HeaderLength || length > remaining)
                return 0;
            packet.TryReadUInt16LittleEndian(packet.DataOffset + position + 2, out ushort attributeType);
            if ((attributeType & TypeMask) == type)
                return (uint)position;
            long aligned = (length + 3) & ~3;
            position += aligned;
            remaining -= aligned;
        }
        return 0;
    }
}
