using System.Net;
using System.Text;

namespace Wirecap.Formats;

// Blocks that describe rather than carry packets: section header, interface description,
// interface statistics, name resolution.
public sealed partial class PcapNgReader
{
    private void ParseSectionHeader(ReadOnlySpan<byte> block)
    {
        ushort major = ReadUInt16(block[12..]);
        ushort minor = ReadUInt16(block[14..]);
        // 1.0 is current; 1.2 was written by some old tools and is read the same way (as libpcap does).
        if (major != 1 || (minor != 0 && minor != 2))
            throw Malformed(12, $"unsupported pcapng version {major}.{minor}");
        var options = block[24..^4];
        ValidateOptions(options, 24);
        string? application = null, hardware = null, os = null;
        List<string>? comments = null;
        List<CaptureOption>? others = null;
        var reader = new PcapNgOptionReader(options, _bigEndian);
        while (reader.MoveNext())
        {
            switch (reader.Code)
            {
                case PcapNgOptionReader.Comment: (comments ??= []).Add(Utf8(reader.Value)); break;
                case PcapNgOption.ShbHardware: hardware = Utf8(reader.Value); break;
                case PcapNgOption.ShbOs: os = Utf8(reader.Value); break;
                case PcapNgOption.ShbUserApplication: application = Utf8(reader.Value); break;
                default: (others ??= []).Add(Other(PcapNgBlockType.SectionHeader, reader)); break;
            }
        }
        // Interface numbers restart in every section.
        _interfaces = [];
        _inSection = true;
        SectionCount++;
        Application = application;
        Hardware = hardware;
        OperatingSystem = os;
        SectionComments = comments is null ? [] : comments;
        _blocks.Add(new CaptureSection
        {
            Index = SectionCount - 1,
            ByteOrder = ByteOrder,
            Hardware = hardware,
            OperatingSystem = os,
            Application = application,
            Comments = SectionComments,
            OtherOptions = others is null ? [] : others,
        });
    }

    private CaptureOption Other(uint blockType, in PcapNgOptionReader option) =>
        PcapNgOptionOrder.Read(blockType, option.Code, option.Value, _bigEndian);

    private void ParseInterfaceDescription(ReadOnlySpan<byte> block)
    {
        var linkType = (LinkType)ReadUInt16(block[8..]);
        uint snapLength = ReadUInt32(block[12..]);
        var options = block[16..^4];
        ValidateOptions(options, 16);
        string? name = null, description = null, filter = null, os = null, hardware = null;
        byte resolution = 6;
        long offset = 0;
        int? fcs = null;
        ulong? speed = null;
        List<string>? comments = null;
        List<CaptureOption>? others = null;
        var reader = new PcapNgOptionReader(options, _bigEndian);
        while (reader.MoveNext())
        {
            switch (reader.Code)
            {
                case PcapNgOptionReader.Comment: (comments ??= []).Add(Utf8(reader.Value)); break;
                case PcapNgOption.IfName: name = Utf8(reader.Value); break;
                case PcapNgOption.IfDescription: description = Utf8(reader.Value); break;
                case PcapNgOption.IfTsResol when reader.Value.Length >= 1: resolution = reader.Value[0]; break;
                case PcapNgOption.IfTsOffset when reader.Value.Length >= 8: offset = reader.ValueInt64(); break;
                case PcapNgOption.IfFcsLen when reader.Value.Length >= 1: fcs = reader.Value[0]; break;
                case PcapNgOption.IfSpeed when reader.Value.Length >= 8: speed = reader.ValueUInt64(); break;
                // if_filter: a kind byte, then for kind 0 a libpcap expression (other kinds are kept as they are).
                case PcapNgOption.IfFilter when reader.Value.Length >= 1 && reader.Value[0] == 0: filter = Utf8(reader.Value[1..]); break;
                case PcapNgOption.IfOs: os = Utf8(reader.Value); break;
                case PcapNgOption.IfHardware: hardware = Utf8(reader.Value); break;
                default: (others ??= []).Add(Other(PcapNgBlockType.InterfaceDescription, reader)); break;
            }
        }
        if ((resolution & 0x80) == 0 ? resolution > 30 : (resolution & 0x7f) > 64)
            throw Malformed(16, $"interface timestamp resolution 0x{resolution:x2} is finer than any clock can be represented");
        if (_interfaces.Count == _clocks.Length) Array.Resize(ref _clocks, _clocks.Length * 2);
        _clocks[_interfaces.Count] = new InterfaceClock(resolution, offset);
        var described = new CaptureInterface
        {
            LinkType = linkType,
            SnapLength = snapLength > int.MaxValue ? 0 : (int)snapLength,
            Name = name,
            Description = description,
            TimestampResolution = resolution,
            TimestampOffset = offset,
            FcsLength = fcs,
            Speed = speed,
            Filter = filter,
            OperatingSystem = os,
            Hardware = hardware,
            Comments = comments is null ? [] : comments,
            OtherOptions = others is null ? [] : others,
        };
        _interfaces.Add(described);
        _blocks.Add(described);
    }

    private void ParseInterfaceStatistics(ReadOnlySpan<byte> block)
    {
        uint interfaceId = ReadUInt32(block[8..]);
        var clock = InterfaceFor(interfaceId, 8);
        var options = block[20..^4];
        ValidateOptions(options, 20);
        long timestamp = ToNanoseconds(clock, block[12..], 12);
        long? start = null, end = null;
        ulong? received = null, ifDrop = null, accepted = null, osDrop = null, delivered = null;
        List<string>? comments = null;
        List<CaptureOption>? others = null;
        var reader = new PcapNgOptionReader(options, _bigEndian);
        while (reader.MoveNext())
        {
            var value = reader.Value;
            bool has8 = value.Length >= 8;
            switch (reader.Code)
            {
                case PcapNgOptionReader.Comment: (comments ??= []).Add(Utf8(value)); break;
                case PcapNgOption.IsbStartTime when has8: start = ToNanoseconds(clock, value, 20); break;
                case PcapNgOption.IsbEndTime when has8: end = ToNanoseconds(clock, value, 20); break;
                case PcapNgOption.IsbIfRecv when has8: received = reader.ValueUInt64(); break;
                case PcapNgOption.IsbIfDrop when has8: ifDrop = reader.ValueUInt64(); break;
                case PcapNgOption.IsbFilterAccept when has8: accepted = reader.ValueUInt64(); break;
                case PcapNgOption.IsbOsDrop when has8: osDrop = reader.ValueUInt64(); break;
                case PcapNgOption.IsbUsrDeliv when has8: delivered = reader.ValueUInt64(); break;
                default: (others ??= []).Add(Other(PcapNgBlockType.InterfaceStatistics, reader)); break;
            }
        }
        var counters = new InterfaceStatistics
        {
            InterfaceId = (int)interfaceId,
            TimestampNanoseconds = timestamp,
            StartTimeNanoseconds = start,
            EndTimeNanoseconds = end,
            ReceivedByInterface = received,
            DroppedByInterface = ifDrop,
            AcceptedByFilter = accepted,
            DroppedByOs = osDrop,
            DeliveredToUser = delivered,
            Comments = comments is null ? [] : comments,
            OtherOptions = others is null ? [] : others,
        };
        _statistics.Add(counters);
        _blocks.Add(counters);
    }

    // Timestamps in pcapng are two 32-bit words, high then low, each in the section's byte order.
    private long ToNanoseconds(InterfaceClock clock, ReadOnlySpan<byte> highLow, int fieldOffset)
    {
        ulong units = ((ulong)ReadUInt32(highLow) << 32) | ReadUInt32(highLow[4..]);
        if (!clock.TryToNanoseconds(units, out long ns))
            throw Malformed(fieldOffset, $"timestamp {units} does not fit in 64-bit nanoseconds since 1970");
        return ns;
    }

    private void ParseNameResolution(ReadOnlySpan<byte> block)
    {
        var body = block[8..^4];
        int position = 0;
        List<NameResolutionEntry>? entries = null;
        List<CaptureOption>? records = null;
        while (true)
        {
            if (body.Length - position < 4)
                throw Malformed(8 + position, "name resolution records end without an end-of-records record");
            ushort type = ReadUInt16(body[position..]);
            int length = ReadUInt16(body[(position + 2)..]);
            if (type == PcapNgOption.NrbEnd) { position += 4; break; }
            if (4 + length > body.Length - position)
                throw Malformed(8 + position, $"name resolution record of {length} bytes overruns the block");
            var value = body.Slice(position + 4, length);
            int addressLength = type switch { PcapNgOption.NrbIpv4 => 4, PcapNgOption.NrbIpv6 => 16, _ => -1 };
            if (addressLength > 0)
            {
                if (value.Length < addressLength)
                    throw Malformed(8 + position, $"name resolution record of {length} bytes is too short for its address");
                var entry = new NameResolutionEntry(new IPAddress(value[..addressLength]), SplitNames(value[addressLength..]));
                _names.Add(entry);
                (entries ??= []).Add(entry);
            }
            else (records ??= []).Add(new CaptureOption(type, value.ToArray()));
            position += 4 + ((length + 3) & ~3);
        }
        var options = body[Math.Min(position, body.Length)..];
        ValidateOptions(options, 8 + position);
        var (comments, others) = CommentsAndOthers(PcapNgBlockType.NameResolution, options);
        _blocks.Add(new NameResolutionBlock
        {
            Entries = entries is null ? [] : entries,
            OtherRecords = records is null ? [] : records,
            Comments = comments,
            OtherOptions = others,
        });
    }

    private void ParseDecryptionSecrets(ReadOnlySpan<byte> block)
    {
        if (block.Length < 20) throw Malformed(4, $"decryption secrets block total length {block.Length} is less than the minimum 20");
        uint kind = ReadUInt32(block[8..]);
        uint length = ReadUInt32(block[12..]);
        if (length > (uint)(block.Length - 20))
            throw Malformed(12, $"decryption secrets of {length} bytes overrun the {block.Length}-byte block");
        var options = block[(16 + (((int)length + 3) & ~3))..^4];
        ValidateOptions(options, 16 + (((int)length + 3) & ~3));
        var (comments, others) = CommentsAndOthers(PcapNgBlockType.DecryptionSecrets, options);
        _blocks.Add(new DecryptionSecrets
        {
            SecretsType = kind,
            Data = block.Slice(16, (int)length).ToArray(),
            Comments = comments,
            OtherOptions = others,
        });
    }

    private void ParseCustom(ReadOnlySpan<byte> block, bool copyable)
    {
        if (block.Length < 16) throw Malformed(4, $"custom block total length {block.Length} is less than the minimum 16");
        _blocks.Add(new CustomBlock
        {
            PrivateEnterpriseNumber = ReadUInt32(block[8..]),
            Data = block[12..^4].ToArray(),
            IsCopyable = copyable,
        });
    }

    private (IReadOnlyList<string> Comments, IReadOnlyList<CaptureOption> Others) CommentsAndOthers(uint blockType, ReadOnlySpan<byte> options)
    {
        List<string>? comments = null;
        List<CaptureOption>? others = null;
        var reader = new PcapNgOptionReader(options, _bigEndian);
        while (reader.MoveNext())
        {
            if (reader.Code == PcapNgOptionReader.Comment) (comments ??= []).Add(Utf8(reader.Value));
            else (others ??= []).Add(Other(blockType, reader));
        }
        return (comments is null ? [] : comments, others is null ? [] : others);
    }

    private static List<string> SplitNames(ReadOnlySpan<byte> zeroTerminated)
    {
        var names = new List<string>();
        while (!zeroTerminated.IsEmpty)
        {
            int end = zeroTerminated.IndexOf((byte)0);
            if (end < 0) end = zeroTerminated.Length;
            if (end > 0) names.Add(Utf8(zeroTerminated[..end]));
            zeroTerminated = end < zeroTerminated.Length ? zeroTerminated[(end + 1)..] : default;
        }
        return names;
    }

    private static string Utf8(ReadOnlySpan<byte> value)
    {
        // Strings in options may carry a terminating NUL from some writers.
        int nul = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? value[..nul] : value);
    }
}
