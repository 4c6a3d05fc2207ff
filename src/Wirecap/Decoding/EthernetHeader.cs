using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>A view over an Ethernet II header and up to two 802.1Q/802.1ad tags that follow it.
/// Nothing is copied: the spans point into the frame.</summary>
public readonly ref struct EthernetHeader
{
    /// <summary>Length of an untagged Ethernet II header.</summary>
    public const int BaseLength = 14;
    /// <summary>Length of one VLAN tag (TPID + TCI).</summary>
    public const int TagLength = 4;
    /// <summary>The most tags decoded (QinQ); a third tag is left in the payload.</summary>
    public const int MaxTags = 2;

    private readonly ReadOnlySpan<byte> _frame;

    private EthernetHeader(ReadOnlySpan<byte> frame, int tagCount, ushort etherType)
    {
        _frame = frame;
        TagCount = tagCount;
        EtherType = etherType;
    }

    /// <summary>Destination MAC address (6 bytes).</summary>
    public ReadOnlySpan<byte> Destination => _frame[..6];
    /// <summary>Source MAC address (6 bytes).</summary>
    public ReadOnlySpan<byte> Source => _frame.Slice(6, 6);
    /// <summary>Number of VLAN tags decoded (0, 1 or 2).</summary>
    public int TagCount { get; }
    /// <summary>The EtherType after the tags (the protocol of <see cref="Payload"/>).</summary>
    public ushort EtherType { get; }
    /// <summary>Header length including the tags.</summary>
    public int Length => BaseLength + TagCount * TagLength;
    /// <summary>The bytes after the header.</summary>
    public ReadOnlySpan<byte> Payload => _frame[Length..];

    /// <summary>The tag control information (PCP, DEI, VLAN id) of tag <paramref name="index"/>
    /// (0 = outermost).</summary>
    public ushort TagControl(int index)
    {
        if ((uint)index >= (uint)TagCount) throw new ArgumentOutOfRangeException(nameof(index));
        return BinaryPrimitives.ReadUInt16BigEndian(_frame[(BaseLength + index * TagLength)..]);
    }

    /// <summary>The 12-bit VLAN id of tag <paramref name="index"/>.</summary>
    public int VlanId(int index) => TagControl(index) & 0x0FFF;

    /// <summary>Reads the header; false when the frame is shorter than the header it announces.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out EthernetHeader header)
    {
        header = default;
        if (frame.Length < BaseLength) return false;
        int tags = 0;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        while (tags < MaxTags && EtherTypes.IsVlanTag(type))
        {
            int next = BaseLength + tags * TagLength + TagLength;
            if (frame.Length < next) return false;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[(next - 2)..]);
            tags++;
        }
        header = new EthernetHeader(frame, tags, type);
        return true;
    }
}
