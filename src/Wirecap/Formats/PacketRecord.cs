using System.Buffers;

namespace Wirecap.Formats;

/// <summary>
/// One packet as a view over a reader's buffer: nothing is copied and nothing is allocated.
/// A record returned by <see cref="CaptureReader.Current"/> is valid only until the next call
/// to <see cref="CaptureReader.Read"/> or <see cref="CaptureReader.ReadAsync"/>; call
/// <see cref="ToPacket"/> to keep it longer.
/// </summary>
/// <remarks>
/// A reader parses records where they lie in its pipe's buffer segments. The rare record that
/// straddles two segments is <see cref="IsMultiSegment"/>: its bytes are in <see cref="Segments"/>,
/// which a filter can run over in place (<c>PacketFilter.Run(in ReadOnlySequence&lt;byte&gt;, ...)</c>);
/// <see cref="Data"/> then gathers them into the reader's scratch buffer on first use.
/// </remarks>
public readonly ref struct PacketRecord
{
    private readonly ReadOnlySpan<byte> _data;
    // A record that straddles the reader's buffer segments: where its bytes lie in the reader's input
    // (offsets from its first unconsumed byte, fixed until the next read). Kept this small because every
    // record is returned by value: a ReadOnlySequence here made the common one-segment path slower.
    private readonly InputBuffer? _gatherer;
    private readonly int _splitOffset;
    private readonly int _splitLength;
    private readonly ReadOnlySpan<byte> _options;
    private readonly bool _optionsBigEndian;

    /// <summary>Creates a record over caller-owned bytes, for example to hand to a <see cref="CaptureWriter"/>.</summary>
    /// <param name="data">The captured bytes.</param>
    /// <param name="timestampNanoseconds">Capture time in nanoseconds since the Unix epoch.</param>
    /// <param name="originalLength">Length of the packet on the wire; a negative value means <c>data.Length</c>.</param>
    /// <param name="linkType">Link-layer header type of <paramref name="data"/>.</param>
    /// <param name="interfaceId">pcapng interface index (0 for pcap).</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public PacketRecord(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength = -1,
        LinkType linkType = LinkType.Ethernet, int interfaceId = 0)
    {
        _data = data;
        TimestampNanoseconds = timestampNanoseconds;
        OriginalLength = originalLength < 0 ? data.Length : originalLength;
        LinkType = linkType;
        InterfaceId = interfaceId;
    }

    internal PacketRecord(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength,
        LinkType linkType, int interfaceId, ReadOnlySpan<byte> options, bool optionsBigEndian)
        : this(data, timestampNanoseconds, originalLength, linkType, interfaceId)
    {
        _options = options;
        _optionsBigEndian = optionsBigEndian;
    }

    // A record whose bytes straddle the reader's buffer segments.
    internal PacketRecord(InputBuffer gatherer, int offset, int length, long timestampNanoseconds, int originalLength,
        LinkType linkType, int interfaceId, ReadOnlySpan<byte> options, bool optionsBigEndian)
        : this(default, timestampNanoseconds, originalLength < 0 ? length : originalLength, linkType, interfaceId, options, optionsBigEndian)
    {
        _gatherer = gatherer;
        _splitOffset = offset;
        _splitLength = length;
    }

    /// <summary>
    /// The captured bytes, starting with the link-layer header. For a record that
    /// <see cref="IsMultiSegment"/>, the first use copies them into the reader's scratch buffer
    /// (valid until the next read); use <see cref="Segments"/> to read them in place.
    /// </summary>
    public ReadOnlySpan<byte> Data => _gatherer is null ? _data : _gatherer.Gather(Segments);

    /// <summary>Number of captured bytes (<c>Data.Length</c>, without gathering a multi-segment record).</summary>
    public int Length => _gatherer is null ? _data.Length : _splitLength;

    /// <summary>True when the captured bytes straddle two or more segments of the reader's buffer (see <see cref="Segments"/>).</summary>
    public bool IsMultiSegment => _gatherer is not null;

    /// <summary>The captured bytes in place, as several segments, when <see cref="IsMultiSegment"/>; empty otherwise (then <see cref="Data"/> holds them).</summary>
    public ReadOnlySequence<byte> Segments => _gatherer is null ? default : _gatherer.Slice(_splitOffset, _splitLength);

    /// <summary>Capture time in nanoseconds since the Unix epoch (UTC).</summary>
    public long TimestampNanoseconds { get; }

    /// <summary>Capture time as a <see cref="DateTimeOffset"/> (UTC, 100 ns resolution).</summary>
    public DateTimeOffset Timestamp => Timestamps.ToDateTimeOffset(TimestampNanoseconds);

    /// <summary>Length of the packet on the wire; larger than <c>Data.Length</c> when the capture was truncated by the snap length.</summary>
    public int OriginalLength { get; }

    /// <summary>Link-layer header type of <see cref="Data"/>.</summary>
    public LinkType LinkType { get; }

    /// <summary>The pcapng interface index the packet was captured on; 0 for pcap.</summary>
    public int InterfaceId { get; }

    /// <summary>The raw epb_flags word (direction, reception type, FCS length, errors); 0 when absent.</summary>
    public uint Flags { get; init; }

    /// <summary>Direction from <see cref="Flags"/> bits 0-1.</summary>
    public PacketDirection Direction => (PacketDirection)(Flags & 3);

    /// <summary>epb_dropcount: packets lost between this one and the previous; null when absent.</summary>
    public ulong? DropCount { get; init; }

    /// <summary>epb_packetid: an identifier of this packet unique per capture; null when absent.</summary>
    public ulong? PacketId { get; init; }

    /// <summary>epb_hash: the algorithm byte followed by the hash value; empty when absent.</summary>
    public ReadOnlySpan<byte> Hash { get; init; }

    /// <summary>
    /// True for a packet of a pcapng Simple Packet Block, which records no time: <see cref="TimestampNanoseconds"/>
    /// is then 0, as libpcap reports it, and a pcapng writer writes the packet as a simple packet block again.
    /// </summary>
    public bool TimestampUnknown { get; init; }

    /// <summary>Every epb_hash of the record (the first is also <see cref="Hash"/>): the algorithm byte, then the hash.</summary>
    public PacketOptionValues Hashes => new(_options, _optionsBigEndian, PcapNgOption.EpbHash);

    /// <summary>Every epb_verdict of the record: the verdict type byte (0 hardware, 1 Linux eBPF TC, 2 Linux eBPF XDP), then the
    /// verdict, in the byte order of <see cref="OptionsBigEndian"/>.</summary>
    public PacketOptionValues Verdicts => new(_options, _optionsBigEndian, PcapNgOption.EpbVerdict);

    /// <summary>epb_queue: the queue of the interface the packet was received on; null when absent.</summary>
    public uint? Queue
    {
        get
        {
            var values = OptionValues(PcapNgOption.EpbQueue);
            return values.MoveNext() && values.Current.Length >= 4 ? PcapNgOptionOrder.UInt32(values.Current, _optionsBigEndian) : null;
        }
    }

    /// <summary>The values of every option of <paramref name="code"/> the record carries (custom options, ones the format adds later),
    /// in the byte order of <see cref="OptionsBigEndian"/>.</summary>
    public PacketOptionValues OptionValues(ushort code) => new(_options, _optionsBigEndian, code);

    /// <summary>Whether the integers inside option values are big-endian (those of a big-endian pcapng section).</summary>
    public bool OptionsBigEndian => _optionsBigEndian;

    // The record's pcapng options area as read, for a writer that copies the options it does not name.
    internal ReadOnlySpan<byte> RawOptions => _options;

    /// <summary>The opt_comment values of the record, UTF-8 encoded, enumerated without allocating.</summary>
    public PacketCommentEnumerator Comments => new(_options, _optionsBigEndian);

    /// <summary>True when the record carries at least one comment.</summary>
    public bool HasComments
    {
        get
        {
            var e = Comments;
            return e.MoveNext();
        }
    }

    /// <summary>Copies the record into an owned <see cref="Packet"/> that stays valid after the next read.</summary>
    public Packet ToPacket() => new(_gatherer is null ? _data.ToArray() : Segments.ToArray(), TimestampNanoseconds, OriginalLength, LinkType, InterfaceId)
    {
        Flags = Flags,
        DropCount = DropCount,
        PacketId = PacketId,
        Hash = Hash.IsEmpty ? null : Hash.ToArray(),
        Comments = Comments.ToList(),
        TimestampUnknown = TimestampUnknown,
        OtherOptions = PcapNgPacketOptions.Others(_options, _optionsBigEndian),
    };

    /// <summary>The same record on another interface (a copy that numbers interfaces differently), everything else kept.</summary>
    public PacketRecord OnInterface(int interfaceId)
    {
        var moved = _gatherer is null
            ? new PacketRecord(_data, TimestampNanoseconds, OriginalLength, LinkType, interfaceId, _options, _optionsBigEndian)
            : new PacketRecord(_gatherer, _splitOffset, _splitLength, TimestampNanoseconds, OriginalLength, LinkType, interfaceId, _options, _optionsBigEndian);
        return moved with { Flags = Flags, DropCount = DropCount, PacketId = PacketId, Hash = Hash, TimestampUnknown = TimestampUnknown };
    }

    /// <summary>The same record with its captured bytes cut to <paramref name="length"/>, everything else kept.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or longer than the record.</exception>
    public PacketRecord Cut(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        return new PacketRecord(Data[..length], TimestampNanoseconds, OriginalLength, LinkType, InterfaceId, _options, _optionsBigEndian)
        {
            Flags = Flags,
            DropCount = DropCount,
            PacketId = PacketId,
            Hash = Hash,
            TimestampUnknown = TimestampUnknown,
        };
    }
}
