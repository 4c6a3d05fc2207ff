using System.Buffers.Binary;

namespace Wirecap.Formats;

/// <summary>
/// Reader for pcapng: several sections of either byte order, several interfaces and link
/// types, Enhanced, Simple and obsolete Packet blocks; Interface Statistics, Name Resolution, Decryption
/// Secrets and custom blocks in <see cref="CaptureReader.Blocks"/>; blocks of unknown types are counted
/// (<see cref="SkippedBlockCount"/>) and skipped.
/// Obtain one from <see cref="CaptureReader.Open(Stream, CaptureReaderOptions?)"/>.
/// </summary>
public sealed partial class PcapNgReader : CaptureReader
{
    private readonly List<InterfaceStatistics> _statistics = [];
    private readonly List<NameResolutionEntry> _names = [];
    private readonly List<CaptureBlock> _blocks = [];
    private List<CaptureInterface> _interfaces = [];
    private InterfaceClock[] _clocks = new InterfaceClock[4];
    private bool _bigEndian;
    private bool _inSection;
    private uint _blockType;
    private readonly int _maxBlockLength;

    internal PcapNgReader(InputBuffer input, CaptureReaderOptions options) : base(input, options)
    {
        // Room for the largest packet allowed plus generous options.
        _maxBlockLength = options.EffectiveMaxPacketLength + 1024 * 1024;
    }

    /// <inheritdoc />
    public override CaptureFormat Format => CaptureFormat.PcapNg;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <inheritdoc />
    public override IReadOnlyList<InterfaceStatistics> Statistics => _statistics;

    /// <inheritdoc />
    public override IReadOnlyList<NameResolutionEntry> NameResolution => _names;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureBlock> Blocks => _blocks;

    /// <summary>Blocks of types the format does not define (or defines as obsolete and unsafe to keep) skipped so far.</summary>
    public int SkippedBlockCount { get; private set; }

    /// <summary>Number of Section Header Blocks read so far.</summary>
    public int SectionCount { get; private set; }

    /// <summary>The byte order of the current section.</summary>
    public CaptureByteOrder ByteOrder => _bigEndian ? CaptureByteOrder.BigEndian : CaptureByteOrder.LittleEndian;

    /// <summary>shb_userappl of the current section, or null.</summary>
    public string? Application { get; private set; }

    /// <summary>shb_hardware of the current section, or null.</summary>
    public string? Hardware { get; private set; }

    /// <summary>shb_os of the current section, or null.</summary>
    public string? OperatingSystem { get; private set; }

    /// <summary>opt_comment values of the current section header.</summary>
    public IReadOnlyList<string> SectionComments { get; private set; } = [];

    // Open reads the section header and blocks up to the first interface description, so that
    // callers know the link type before the first packet; it stops before any packet block.
    private protected override int ParseHeader() => ParseBlocks(headerOnly: true);

    private protected override int ParseNext() => ParseBlocks(headerOnly: false);

    private int ParseBlocks(bool headerOnly)
    {
        while (true)
        {
            if (headerOnly && _interfaces.Count > 0) return NeedNothing;
            EndAllowed = _inSection;
            Pending = "pcapng block header";
            if (Input.Length < 12) return 12;
            var head = Input.Peek(0, 12);
            uint type = ReadUInt32(head);
            if (type == PcapNgBlockType.SectionHeader) ReadByteOrder(head);
            else if (!_inSection) throw Malformed(0, $"block of type 0x{type:x8} before any section header");
            uint length = ReadUInt32(head[4..]);
            CheckLength(type, length);
            if (Input.Length < (int)length)
            {
                EndAllowed = false;
                Pending = $"{BlockName(type)} block ({length} bytes)";
                return (int)length;
            }
            uint trailer = ReadUInt32(Input.Peek((int)length - 4, 4));
            if (trailer != length)
                throw Malformed(0, $"{BlockName(type)} block total length {length} differs from its trailing copy {trailer}");
            _blockType = type;
            switch (type)
            {
                // Packet blocks are parsed in place: their data may straddle the input's segments.
                case PcapNgBlockType.EnhancedPacket:
                    if (headerOnly) return NeedNothing;
                    ParseEnhancedPacket((int)length);
                    return NeedNothing;
                case PcapNgBlockType.SimplePacket:
                    if (headerOnly) return NeedNothing;
                    ParseSimplePacket((int)length);
                    return NeedNothing;
                case PcapNgBlockType.ObsoletePacket:
                    if (headerOnly) return NeedNothing;
                    ParseObsoletePacket((int)length);
                    return NeedNothing;
                case PcapNgBlockType.SectionHeader:
                    ParseSectionHeader(Input.Contiguous(0, (int)length));
                    break;
                case PcapNgBlockType.InterfaceDescription:
                    ParseInterfaceDescription(Input.Contiguous(0, (int)length));
                    break;
                case PcapNgBlockType.InterfaceStatistics:
                    ParseInterfaceStatistics(Input.Contiguous(0, (int)length));
                    break;
                case PcapNgBlockType.NameResolution:
                    ParseNameResolution(Input.Contiguous(0, (int)length));
                    break;
                case PcapNgBlockType.DecryptionSecrets:
                    ParseDecryptionSecrets(Input.Contiguous(0, (int)length));
                    break;
                case PcapNgBlockType.Custom or PcapNgBlockType.CustomNoCopy:
                    ParseCustom(Input.Contiguous(0, (int)length), copyable: type == PcapNgBlockType.Custom);
                    break;
                default:
                    // Block types we do not know: their layout is unknown, so they cannot be kept; counted.
                    SkippedBlockCount++;
                    break;
            }
            Input.Advance((int)length);
        }
    }

    private void ReadByteOrder(ReadOnlySpan<byte> span)
    {
        uint bom = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        if (bom == PcapNgBlockType.ByteOrderMagic) _bigEndian = false;
        else if (BinaryPrimitives.ReverseEndianness(bom) == PcapNgBlockType.ByteOrderMagic) _bigEndian = true;
        else throw Malformed(8, $"section header byte-order magic is 0x{bom:x8}, not 1a2b3c4d in either byte order");
    }

    private void CheckLength(uint type, uint length)
    {
        uint minimum = type switch
        {
            PcapNgBlockType.SectionHeader => PcapNgBlockType.SectionHeaderMinimum,
            PcapNgBlockType.InterfaceDescription => PcapNgBlockType.InterfaceDescriptionMinimum,
            PcapNgBlockType.EnhancedPacket => PcapNgBlockType.EnhancedPacketMinimum,
            PcapNgBlockType.ObsoletePacket => PcapNgBlockType.ObsoletePacketMinimum,
            PcapNgBlockType.SimplePacket => PcapNgBlockType.SimplePacketMinimum,
            PcapNgBlockType.InterfaceStatistics => PcapNgBlockType.InterfaceStatisticsMinimum,
            _ => PcapNgBlockType.BlockOverhead,
        };
        if (length < minimum)
            throw Malformed(4, $"{BlockName(type)} block total length {length} is less than the minimum {minimum}");
        if (length % 4 != 0)
            throw Malformed(4, $"{BlockName(type)} block total length {length} is not a multiple of 4");
        if (length > (uint)_maxBlockLength)
            throw Malformed(4, $"{BlockName(type)} block total length {length} is larger than the {_maxBlockLength}-byte limit");
    }

    private static string BlockName(uint type) => type switch
    {
        PcapNgBlockType.SectionHeader => "section header",
        PcapNgBlockType.InterfaceDescription => "interface description",
        PcapNgBlockType.EnhancedPacket => "enhanced packet",
        PcapNgBlockType.SimplePacket => "simple packet",
        PcapNgBlockType.ObsoletePacket => "packet",
        PcapNgBlockType.InterfaceStatistics => "interface statistics",
        PcapNgBlockType.NameResolution => "name resolution",
        _ => $"0x{type:x8}",
    };

    private CaptureFormatException Malformed(int offsetInBlock, string problem) =>
        new(CaptureFormat.PcapNg, Input.Offset + offsetInBlock, problem);

    private uint ReadUInt32(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort ReadUInt16(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
}
