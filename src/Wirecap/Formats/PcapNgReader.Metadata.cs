using System.Net;

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
        var read = PcapNgBlockOptions.Section.Read(options, _bigEndian);
        // Interface numbers restart in every section.
        _interfaces = [];
        _inSection = true;
        SectionCount++;
        Application = read.String(PcapNgOption.ShbUserApplication);
        Hardware = read.String(PcapNgOption.ShbHardware);
        OperatingSystem = read.String(PcapNgOption.ShbOs);
        SectionComments = read.Comments;
        _blocks.Add(new CaptureSection
        {
            Index = SectionCount - 1,
            ByteOrder = ByteOrder,
            Hardware = Hardware,
            OperatingSystem = OperatingSystem,
            Application = Application,
            Comments = SectionComments,
            OtherOptions = read.Others,
        });
    }

    private void ParseInterfaceDescription(ReadOnlySpan<byte> block)
    {
        var linkType = (LinkType)ReadUInt16(block[8..]);
        uint snapLength = ReadUInt32(block[12..]);
        var options = block[16..^4];
        ValidateOptions(options, 16);
        var read = PcapNgBlockOptions.Interface.Read(options, _bigEndian);
        byte resolution = read.Byte(PcapNgOption.IfTsResol) ?? 6;
        long offset = (long)(read.UInt64(PcapNgOption.IfTsOffset) ?? 0);
        if ((resolution & 0x80) == 0 ? resolution > 30 : (resolution & 0x7f) > 64)
            throw Malformed(16, $"interface timestamp resolution 0x{resolution:x2} is finer than any clock can be represented");
        if (_interfaces.Count == _clocks.Length) Array.Resize(ref _clocks, _clocks.Length * 2);
        _clocks[_interfaces.Count] = new InterfaceClock(resolution, offset);
        var described = new CaptureInterface
        {
            LinkType = linkType,
            SnapLength = snapLength > int.MaxValue ? 0 : (int)snapLength,
            Name = read.String(PcapNgOption.IfName),
            Description = read.String(PcapNgOption.IfDescription),
            TimestampResolution = resolution,
            TimestampOffset = offset,
            FcsLength = read.Byte(PcapNgOption.IfFcsLen),
            Speed = read.UInt64(PcapNgOption.IfSpeed),
            Filter = read.String(PcapNgOption.IfFilter),
            OperatingSystem = read.String(PcapNgOption.IfOs),
            Hardware = read.String(PcapNgOption.IfHardware),
            Comments = read.Comments,
            OtherOptions = read.Others,
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
        var read = PcapNgBlockOptions.Statistics.Read(options, _bigEndian);
        var counters = new InterfaceStatistics
        {
            InterfaceId = (int)interfaceId,
            TimestampNanoseconds = timestamp,
            StartTimeNanoseconds = ToNanoseconds(clock, read.UInt64(PcapNgOption.IsbStartTime), 20),
            EndTimeNanoseconds = ToNanoseconds(clock, read.UInt64(PcapNgOption.IsbEndTime), 20),
            ReceivedByInterface = read.UInt64(PcapNgOption.IsbIfRecv),
            DroppedByInterface = read.UInt64(PcapNgOption.IsbIfDrop),
            AcceptedByFilter = read.UInt64(PcapNgOption.IsbFilterAccept),
            DroppedByOs = read.UInt64(PcapNgOption.IsbOsDrop),
            DeliveredToUser = read.UInt64(PcapNgOption.IsbUsrDeliv),
            Comments = read.Comments,
            OtherOptions = read.Others,
        };
        _statistics.Add(counters);
        _blocks.Add(counters);
    }

    // Timestamps in pcapng are two 32-bit words, high then low, each in the section's byte order.
    private long ToNanoseconds(InterfaceClock clock, ReadOnlySpan<byte> highLow, int fieldOffset) =>
        ToNanoseconds(clock, ((ulong)ReadUInt32(highLow) << 32) | ReadUInt32(highLow[4..]), fieldOffset);

    private long? ToNanoseconds(InterfaceClock clock, ulong? units, int fieldOffset) =>
        units is { } u ? ToNanoseconds(clock, u, fieldOffset) : null;

    private long ToNanoseconds(InterfaceClock clock, ulong units, int fieldOffset)
    {
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
        var read = PcapNgBlockOptions.NameResolution.Read(options, _bigEndian);
        _blocks.Add(new NameResolutionBlock
        {
            Entries = entries is null ? [] : entries,
            OtherRecords = records is null ? [] : records,
            Comments = read.Comments,
            OtherOptions = read.Others,
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
        var read = PcapNgBlockOptions.DecryptionSecrets.Read(options, _bigEndian);
        _blocks.Add(new DecryptionSecrets
        {
            SecretsType = kind,
            Data = block.Slice(16, (int)length).ToArray(),
            Comments = read.Comments,
            OtherOptions = read.Others,
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

    private static string Utf8(ReadOnlySpan<byte> value) => PcapNgOptionCodec.Utf8(value);
}
