using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Linux.Tc.Netlink;

/// <summary>
/// Builds one rtnetlink request for TC: the <c>nlmsghdr</c>, a <c>tcmsg</c>, then attributes (<c>rtattr</c>: u16
/// length, u16 type, payload padded to 4 bytes), which may nest. Host byte order throughout, as netlink wants.
/// </summary>
internal sealed class NetlinkMessage
{
    public const int HeaderLength = 16;
    public const int TcMessageLength = 20;

    private readonly List<byte> _bytes = [];
    private readonly Stack<int> _nests = new();

    // type: RTM_NEWQDISC, RTM_NEWTFILTER…; flags: NLM_F_REQUEST and the rest; then the tcmsg's fields.
    public NetlinkMessage(ushort type, ushort flags, uint sequence, int ifindex, uint handle, uint parent, uint info)
    {
        Span<byte> head = stackalloc byte[HeaderLength + TcMessageLength];
        head.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(head[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(head[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(head[8..], sequence);
        // tcmsg: family (AF_UNSPEC), two pad fields, ifindex, handle, parent, info.
        BinaryPrimitives.WriteInt32LittleEndian(head[20..], ifindex);
        BinaryPrimitives.WriteUInt32LittleEndian(head[24..], handle);
        BinaryPrimitives.WriteUInt32LittleEndian(head[28..], parent);
        BinaryPrimitives.WriteUInt32LittleEndian(head[32..], info);
        _bytes.AddRange(head);
        Sequence = sequence;
    }

    public uint Sequence { get; }

    public NetlinkMessage Add(ushort type, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        _bytes.AddRange(header);
        _bytes.AddRange(payload);
        Pad();
        return this;
    }

    public NetlinkMessage Add(ushort type, uint value)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, value);
        return Add(type, payload);
    }

    /// <summary>A NUL-terminated string attribute.</summary>
    public NetlinkMessage Add(ushort type, string value) => Add(type, Encoding.ASCII.GetBytes(value + "\0"));

    /// <summary>Opens a nested attribute; <see cref="EndNest"/> closes it and fills in its length.</summary>
    public NetlinkMessage BeginNest(ushort type)
    {
        _nests.Push(_bytes.Count);
        _bytes.AddRange([0, 0, (byte)type, (byte)(type >> 8)]);
        return this;
    }

    public NetlinkMessage EndNest()
    {
        int start = _nests.Pop();
        int length = _bytes.Count - start;
        _bytes[start] = (byte)length;
        _bytes[start + 1] = (byte)(length >> 8);
        return this;
    }

    /// <summary>The message with its total length filled in.</summary>
    public byte[] ToArray()
    {
        if (_nests.Count != 0) throw new InvalidOperationException("a nested netlink attribute is still open");
        var bytes = _bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        return bytes;
    }

    private void Pad()
    {
        while (_bytes.Count % 4 != 0) _bytes.Add(0);
    }
}
