using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Wirecap.Formats;

/// <summary>
/// Reader for classic pcap files: microsecond and nanosecond magic, either byte order.
/// Obtain one from <see cref="CaptureReader.Open(Stream, CaptureReaderOptions?)"/>.
/// As libpcap (1.10) reads one: a record whose captured length exceeds the header's snap length
/// (0 meaning the link type's maximum) is delivered cut to the snap length; beyond the link type's
/// maximum snap length (<see cref="LinkTypes.MaximumSnapLength"/>, 262144 for most) or the hard
/// limit of the reader options it is malformed, whatever the header says.
/// </summary>
public sealed class PcapReader : CaptureReader
{
    private CaptureInterface[] _interfaces = [];
    private bool _bigEndian;
    private long _unitNanoseconds;
    private int _maxCapturedLength;
    private int _snapshot;
    private LinkType _linkType;

    internal PcapReader(InputBuffer input, CaptureReaderOptions options) : base(input, options)
    {
    }

    /// <inheritdoc />
    public override CaptureFormat Format => CaptureFormat.Pcap;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <summary>Whether the file's timestamps are in nanoseconds (magic a1b23c4d) rather than microseconds.</summary>
    public TimestampPrecision Precision => _unitNanoseconds == 1 ? TimestampPrecision.Nanosecond : TimestampPrecision.Microsecond;

    /// <summary>The byte order the file was written in.</summary>
    public CaptureByteOrder ByteOrder => _bigEndian ? CaptureByteOrder.BigEndian : CaptureByteOrder.LittleEndian;

    /// <summary>The snap length from the file header.</summary>
    public int SnapLength { get; private set; }

    /// <summary>The link type of every packet in the file.</summary>
    public LinkType LinkType => _linkType;

    /// <summary>The FCS length in bytes declared by the header's FCS bits, or null when not declared.</summary>
    public int? FcsLength { get; private set; }

    /// <summary>The file format version (major, minor), normally 2.4.</summary>
    public (int Major, int Minor) Version { get; private set; }

    private protected override int ParseHeader()
    {
        Pending = "pcap file header";
        EndAllowed = false;
        if (Input.Length < PcapFileHeader.Size) return PcapFileHeader.Size;
        var span = Input.Peek(0, PcapFileHeader.Size);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(span);
        (_bigEndian, _unitNanoseconds) = magic switch
        {
            PcapFileHeader.MicrosecondMagic => (false, 1000L),
            PcapFileHeader.NanosecondMagic => (false, 1L),
            _ when BinaryPrimitives.ReverseEndianness(magic) == PcapFileHeader.MicrosecondMagic => (true, 1000L),
            _ => (true, 1L),
        };
        int major = ReadUInt16(span[4..]), minor = ReadUInt16(span[6..]);
        if (major != PcapFileHeader.VersionMajor || minor > PcapFileHeader.VersionMinor)
            throw Malformed(4, $"unsupported pcap file format version {major}.{minor}");
        uint snaplen = ReadUInt32(span[16..]);
        uint linkField = ReadUInt32(span[20..]);
        if ((linkField & PcapFileHeader.ReservedMask) != 0)
            throw Malformed(20, $"reserved bits of the link-type field are not zero (0x{linkField:x8})");
        _linkType = (LinkType)(linkField & PcapFileHeader.LinkTypeMask);
        if ((linkField & PcapFileHeader.FcsPresentBit) != 0) FcsLength = (int)(linkField >> PcapFileHeader.FcsShift) * 2;
        int max = Options.EffectiveMaxPacketLength;
        // Like libpcap, a zero or absurd snap length in the header means "the maximum".
        SnapLength = snaplen == 0 || snaplen > int.MaxValue ? 0 : (int)snaplen;
        _snapshot = LinkTypes.EffectiveSnapLength(_linkType, SnapLength);
        _maxCapturedLength = Math.Min(max, LinkTypes.MaximumSnapLength(_linkType));
        Version = (major, minor);
        _interfaces = [new CaptureInterface
        {
            LinkType = _linkType,
            SnapLength = SnapLength,
            TimestampResolution = (byte)(_unitNanoseconds == 1 ? 9 : 6),
            FcsLength = FcsLength,
        }];
        Input.Advance(PcapFileHeader.Size);
        return NeedNothing;
    }

    private protected override int ParseNext()
    {
        // Usually the header lies in the input's first segment (always, for a file read by path).
        ReadOnlySpan<byte> span = Input.FirstSpan;
        int buffered = span.Length;
        if (buffered < PcapFileHeader.RecordHeaderSize)
        {
            buffered = Input.Length;
            if (buffered < PcapFileHeader.RecordHeaderSize)
            {
                Pending = "pcap record header";
                EndAllowed = true;
                return PcapFileHeader.RecordHeaderSize;
            }
            span = Input.Peek(0, PcapFileHeader.RecordHeaderSize);
        }
        uint seconds = ReadUInt32(span);
        uint fraction = ReadUInt32(span[4..]);
        uint captured = ReadUInt32(span[8..]);
        uint original = ReadUInt32(span[12..]);
        if (captured > (uint)_maxCapturedLength) throw CapturedLengthTooLarge(captured);
        int size = PcapFileHeader.RecordHeaderSize + (int)captured;
        if (buffered < size && (buffered = Input.Length) < size)
        {
            Pending = "pcap record";
            EndAllowed = false;
            return size;
        }
        long timestamp = seconds * Timestamps.NanosPerSecond + fraction * _unitNanoseconds;
        int originalLength = original > int.MaxValue ? int.MaxValue : (int)original;
        // Like libpcap, bytes beyond the header's snap length are dropped (some writers exceed it slightly).
        int delivered = captured > (uint)_snapshot ? _snapshot : (int)captured;
        SetCurrent(size, PcapFileHeader.RecordHeaderSize, delivered, timestamp, originalLength, _linkType, 0);
        return NeedNothing;
    }

    // Apart from ParseNext so that building the message does not enlarge its frame on every record.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private CaptureFormatException CapturedLengthTooLarge(uint captured) =>
        Malformed(8, captured > (uint)Options.EffectiveMaxPacketLength
            ? $"captured length {captured} is larger than the {Options.EffectiveMaxPacketLength}-byte limit"
            : captured > (uint)_snapshot
                ? $"captured length {captured} is larger than the snap length {_snapshot}"
                : $"captured length {captured} is larger than the maximum {_maxCapturedLength} for link type {_linkType}");

    private CaptureFormatException Malformed(int offsetInStructure, string problem) =>
        new(CaptureFormat.Pcap, Input.Offset + offsetInStructure, problem);

    private uint ReadUInt32(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort ReadUInt16(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
}
