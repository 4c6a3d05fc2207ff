using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Linux.Tc.Netlink;

/// <summary>Walks the attributes (<c>rtattr</c>) of a netlink payload without copying.</summary>
internal readonly ref struct NetlinkAttributes(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    /// <summary>The payload of the first attribute of <paramref name="type"/> (the nested flag ignored).</summary>
    public bool TryGet(ushort type, out ReadOnlySpan<byte> payload)
    {
        var rest = _bytes;
        while (rest.Length >= 4)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            ushort kind = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]) & 0x3fff);
            if (length < 4 || length > rest.Length) break;
            if (kind == type)
            {
                payload = rest[4..length];
                return true;
            }
            int next = (length + 3) & ~3;
            if (next >= rest.Length) break;
            rest = rest[next..];
        }
        payload = default;
        return false;
    }

    /// <summary>A NUL-terminated string attribute, or null.</summary>
    public string? String(ushort type)
    {
        if (!TryGet(type, out var payload)) return null;
        int end = payload.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? payload : payload[..end]);
    }

    /// <summary>A u32 attribute, or null.</summary>
    public uint? UInt32(ushort type) =>
        TryGet(type, out var payload) && payload.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(payload) : null;
}
