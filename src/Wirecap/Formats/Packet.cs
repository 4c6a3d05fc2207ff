namespace Wirecap.Formats;

/// <summary>
/// One packet with its own copy of the bytes: the convenient form for ordinary code, returned
/// by <see cref="CaptureReader.ReadAllAsync"/> and <see cref="PacketRecord.ToPacket"/>.
/// </summary>
public sealed class Packet
{
    /// <summary>Creates a packet.</summary>
    /// <param name="data">The captured bytes (not copied).</param>
    /// <param name="timestampNanoseconds">Capture time in nanoseconds since the Unix epoch.</param>
    /// <param name="originalLength">Length on the wire; a negative value means <c>data.Length</c>.</param>
    /// <param name="linkType">Link-layer header type of <paramref name="data"/>.</param>
    /// <param name="interfaceId">pcapng interface index (0 for pcap).</param>
    public Packet(ReadOnlyMemory<byte> data, long timestampNanoseconds, int originalLength = -1,
        LinkType linkType = LinkType.Ethernet, int interfaceId = 0)
    {
        Data = data;
        TimestampNanoseconds = timestampNanoseconds;
        OriginalLength = originalLength < 0 ? data.Length : originalLength;
        LinkType = linkType;
        InterfaceId = interfaceId;
    }

    /// <summary>The captured bytes, starting with the link-layer header.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Capture time in nanoseconds since the Unix epoch (UTC).</summary>
    public long TimestampNanoseconds { get; }

    /// <summary>Capture time as a <see cref="DateTimeOffset"/> (UTC, 100 ns resolution).</summary>
    public DateTimeOffset Timestamp => Timestamps.ToDateTimeOffset(TimestampNanoseconds);

    /// <summary>Length of the packet on the wire.</summary>
    public int OriginalLength { get; }

    /// <summary>Link-layer header type of <see cref="Data"/>.</summary>
    public LinkType LinkType { get; }

    /// <summary>The pcapng interface index the packet was captured on; 0 for pcap.</summary>
    public int InterfaceId { get; }

    /// <summary>The raw epb_flags word; 0 when absent.</summary>
    public uint Flags { get; init; }

    /// <summary>Direction from <see cref="Flags"/> bits 0-1.</summary>
    public PacketDirection Direction => (PacketDirection)(Flags & 3);

    /// <summary>epb_dropcount; null when absent.</summary>
    public ulong? DropCount { get; init; }

    /// <summary>epb_packetid; null when absent.</summary>
    public ulong? PacketId { get; init; }

    /// <summary>epb_hash: the algorithm byte followed by the hash value; null when absent.</summary>
    public byte[]? Hash { get; init; }

    /// <summary>opt_comment values.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>True for a packet of a pcapng Simple Packet Block, which records no time (see <see cref="PacketRecord.TimestampUnknown"/>).</summary>
    public bool TimestampUnknown { get; init; }

    /// <summary>The packet's other pcapng options (further hashes, epb_verdict, epb_queue, custom options), see <see cref="CaptureOption"/>.</summary>
    public IReadOnlyList<CaptureOption> OtherOptions { get; init; } = [];

    /// <summary>
    /// A zero-copy view of this packet, for APIs that take <see cref="PacketRecord"/>. The view
    /// carries flags, drop count, packet id and hash but not <see cref="Comments"/> and <see cref="OtherOptions"/>
    /// (<see cref="CaptureWriter.Write(Packet)"/> writes those).
    /// </summary>
    public PacketRecord AsRecord() => new(Data.Span, TimestampNanoseconds, OriginalLength, LinkType, InterfaceId)
    {
        Flags = Flags,
        DropCount = DropCount,
        PacketId = PacketId,
        Hash = Hash,
        TimestampUnknown = TimestampUnknown,
    };
}
