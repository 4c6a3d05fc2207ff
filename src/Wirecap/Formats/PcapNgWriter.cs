using System.Text;

namespace Wirecap.Formats;

/// <summary>
/// Writer for pcapng: one section header, any number of interfaces (nanosecond resolution by
/// default) with every option, Enhanced Packet Blocks with every option (or Simple Packet Blocks for packets
/// that record no time), Interface Statistics, Name Resolution, Decryption Secrets and custom blocks.
/// Obtain one from <see cref="CaptureWriter.Create(Stream, CaptureFormat, CaptureWriterOptions?)"/>.
/// </summary>
public sealed class PcapNgWriter : CaptureWriter
{
    private readonly List<CaptureInterface> _interfaces = [];
    private readonly bool _bigEndian;

    internal PcapNgWriter(OutputBuffer output, CaptureWriterOptions options) : base(output, options)
    {
        _bigEndian = options.BigEndian;
        WriteSectionHeader(options);
        if (options.Interfaces.Count == 0)
            AddInterface(new CaptureInterface { LinkType = options.LinkType, SnapLength = options.SnapLength });
        foreach (var captureInterface in options.Interfaces) AddInterface(captureInterface);
    }

    /// <inheritdoc />
    public override CaptureFormat Format => CaptureFormat.PcapNg;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <summary>Writes an Interface Description Block and returns the new interface's index.</summary>
    public override int AddInterface(CaptureInterface captureInterface)
    {
        ArgumentNullException.ThrowIfNull(captureInterface);
        if ((uint)captureInterface.LinkType > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(captureInterface), captureInterface.LinkType, "pcapng link types are 16-bit values");
        byte resolution = captureInterface.TimestampResolution;
        if ((resolution & 0x80) == 0 ? resolution > 19 : (resolution & 0x7f) > 63)
            throw new ArgumentOutOfRangeException(nameof(captureInterface), resolution,
                "if_tsresol must be at most 10^-19 or 2^-63 seconds for timestamps to be written");
        if (captureInterface.SnapLength < 0)
            throw new ArgumentOutOfRangeException(nameof(captureInterface), captureInterface.SnapLength, "the snap length cannot be negative");
        int optionsSize = PcapNgBlockOptions.Interface.Size(captureInterface) + 4; // never empty: if_tsresol is always there
        int size = PcapNgBlockType.InterfaceDescriptionMinimum + optionsSize;
        var block = new PcapNgBlockEncoder(Output.GetSpan(size), PcapNgBlockType.InterfaceDescription, _bigEndian);
        block.UInt16((ushort)captureInterface.LinkType);
        block.UInt16(0);
        block.UInt32((uint)captureInterface.SnapLength);
        PcapNgBlockOptions.Interface.Write(ref block, captureInterface, _bigEndian);
        block.EndOfOptions();
        block.Finish();
        Output.Advance(size);
        _interfaces.Add(captureInterface);
        return _interfaces.Count - 1;
    }

    /// <summary>Writes an Interface Statistics Block for one of this file's interfaces.</summary>
    public override void WriteStatistics(InterfaceStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var iface = InterfaceAt(statistics.InterfaceId, nameof(statistics));
        var counted = new PcapNgBlockOptions.CountedInterface(statistics, iface);
        int optionsSize = PcapNgBlockOptions.Statistics.Size(counted);
        if (optionsSize > 0) optionsSize += 4;
        int size = PcapNgBlockType.InterfaceStatisticsMinimum + optionsSize;
        var block = new PcapNgBlockEncoder(Output.GetSpan(size), PcapNgBlockType.InterfaceStatistics, _bigEndian);
        block.UInt32((uint)statistics.InterfaceId);
        block.Timestamp(ToUnits(statistics.TimestampNanoseconds, iface, nameof(statistics)));
        if (optionsSize > 0)
        {
            PcapNgBlockOptions.Statistics.Write(ref block, counted, _bigEndian);
            block.EndOfOptions();
        }
        block.Finish();
        Output.Advance(size);
        if (Output.ShouldWrite) Output.WriteOut();
    }

    private protected override void Encode(in PacketRecord record, IReadOnlyList<string>? comments, IReadOnlyList<CaptureOption>? otherOptions)
    {
        var iface = InterfaceAt(record.InterfaceId, nameof(record));
        if (record.LinkType != iface.LinkType)
            throw new ArgumentException($"the record's link type {record.LinkType} differs from interface {record.InterfaceId}'s {iface.LinkType}", nameof(record));
        var data = record.Data;
        // Readers (libpcap's and ours) refuse a packet beyond the interface's snap length, 0 meaning the link type's maximum.
        int captured = Math.Min(data.Length, LinkTypes.EffectiveSnapLength(iface.LinkType, iface.SnapLength));
        // Written as given, even when below the captured length (tcpdump copies such records as they are).
        int original = record.OriginalLength;

        int optionsSize = comments is null ? RecordCommentsSize(record) : PcapNgOptionCodec.CommentsSize(comments);
        if (record.Flags != 0) optionsSize += 8;
        if (!record.Hash.IsEmpty) optionsSize += PcapNgOptionCodec.OptionSize(record.Hash.Length, "hash");
        if (record.DropCount is not null) optionsSize += 12;
        if (record.PacketId is not null) optionsSize += 12;
        optionsSize += otherOptions is null ? RawOthersSize(record.RawOptions, record.OptionsBigEndian) : PcapNgOptionCodec.OthersSize(otherOptions);
        if (optionsSize == 0 && record.TimestampUnknown && TryWriteSimple(record, iface, captured)) return;
        if (optionsSize > 0) optionsSize += 4;
        ulong units = ToUnits(record.TimestampNanoseconds, iface, nameof(record));
        int size = PcapNgBlockType.EnhancedPacketMinimum + PcapNgBlockEncoder.Pad(captured) + optionsSize;

        var block = new PcapNgBlockEncoder(Output.GetSpan(size), PcapNgBlockType.EnhancedPacket, _bigEndian);
        block.UInt32((uint)record.InterfaceId);
        block.Timestamp(units);
        block.UInt32((uint)captured);
        block.UInt32((uint)original);
        block.Bytes(data[..captured]);
        if (optionsSize > 0)
        {
            if (comments is null)
            {
                foreach (var utf8 in record.Comments) block.Option(PcapNgOptionReader.Comment, utf8);
            }
            else PcapNgOptionCodec.WriteComments(ref block, comments);
            if (record.Flags != 0) block.OptionUInt32(PcapNgOption.EpbFlags, record.Flags);
            if (!record.Hash.IsEmpty) block.Option(PcapNgOption.EpbHash, record.Hash);
            if (record.DropCount is { } drops) block.OptionUInt64(PcapNgOption.EpbDropCount, drops);
            if (record.PacketId is { } id) block.OptionUInt64(PcapNgOption.EpbPacketId, id);
            if (otherOptions is null) WriteRawOthers(ref block, record.RawOptions, record.OptionsBigEndian);
            else PcapNgOptionCodec.WriteOthers(ref block, PcapNgBlockType.EnhancedPacket, otherOptions, _bigEndian);
            block.EndOfOptions();
        }
        block.Finish();
        Output.Advance(size);
    }

    // A packet whose block recorded no time stays a simple packet block, when it can be one: on interface 0, with
    // the captured length that block implies (the original length cut by the snap length).
    private bool TryWriteSimple(in PacketRecord record, CaptureInterface iface, int captured)
    {
        if (record.InterfaceId != 0 || record.OriginalLength < 0
            || captured != Math.Min(record.OriginalLength, LinkTypes.EffectiveSnapLength(iface.LinkType, iface.SnapLength)))
            return false;
        int size = PcapNgBlockType.SimplePacketMinimum + PcapNgBlockEncoder.Pad(captured);
        var block = new PcapNgBlockEncoder(Output.GetSpan(size), PcapNgBlockType.SimplePacket, _bigEndian);
        block.UInt32((uint)record.OriginalLength);
        block.Bytes(record.Data[..captured]);
        block.Finish();
        Output.Advance(size);
        return true;
    }

    /// <summary>Writes a Name Resolution Block.</summary>
    public override void WriteNameResolution(NameResolutionBlock names)
    {
        ArgumentNullException.ThrowIfNull(names);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        int recordsSize = 4; // nrb_record_end
        foreach (var entry in names.Entries) recordsSize += PcapNgOptionCodec.OptionSize(EntryLength(entry), "name resolution record");
        foreach (var other in names.OtherRecords) recordsSize += PcapNgOptionCodec.OptionSize(other.Value.Length, "name resolution record");
        int optionsSize = PcapNgBlockOptions.NameResolution.Size(names);
        if (optionsSize > 0) optionsSize += 4;
        int size = PcapNgBlockType.NameResolutionMinimum + recordsSize + optionsSize;
        var block = new PcapNgBlockEncoder(Output.GetSpan(size), PcapNgBlockType.NameResolution, _bigEndian);
        foreach (var entry in names.Entries)
        {
            bool v4 = entry.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
            block.UInt16(v4 ? PcapNgOption.NrbIpv4 : PcapNgOption.NrbIpv6);
            block.UInt16((ushort)EntryLength(entry));
            block.NameRecord(entry.Address, entry.Names);
        }
        foreach (var other in names.OtherRecords) block.Option(other.Code, other.Value.Span);
        block.UInt32(0);
        if (optionsSize > 0)
        {
            PcapNgBlockOptions.NameResolution.Write(ref block, names, _bigEndian);
            block.EndOfOptions();
        }
        block.Finish();
        Output.Advance(size);
        if (Output.ShouldWrite) Output.WriteOut();
    }

    private static int EntryLength(NameResolutionEntry entry)
    {
        int length = entry.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16;
        foreach (var name in entry.Names) length += Encoding.UTF8.GetByteCount(name) + 1;
        return length;
    }

    /// <summary>Writes a Decryption Secrets Block.</summary>
    public override void WriteDecryptionSecrets(DecryptionSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        int optionsSize = PcapNgBlockOptions.DecryptionSecrets.Size(secrets);
        if (optionsSize > 0) optionsSize += 4;
        int size = 20 + PcapNgBlockEncoder.Pad(secrets.Data.Length) + optionsSize;
        var block = new PcapNgBlockEncoder(Output.GetSpan(size), PcapNgBlockType.DecryptionSecrets, _bigEndian);
        block.UInt32(secrets.SecretsType);
        block.UInt32((uint)secrets.Data.Length);
        block.Bytes(secrets.Data.Span);
        if (optionsSize > 0)
        {
            PcapNgBlockOptions.DecryptionSecrets.Write(ref block, secrets, _bigEndian);
            block.EndOfOptions();
        }
        block.Finish();
        Output.Advance(size);
        if (Output.ShouldWrite) Output.WriteOut();
    }

    /// <summary>Writes a Custom Block (type 0x00000BAD, or 0x40000BAD when <see cref="CustomBlock.IsCopyable"/> is false).</summary>
    public override void WriteCustomBlock(CustomBlock custom)
    {
        ArgumentNullException.ThrowIfNull(custom);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        int size = 16 + PcapNgBlockEncoder.Pad(custom.Data.Length);
        var block = new PcapNgBlockEncoder(Output.GetSpan(size), custom.IsCopyable ? PcapNgBlockType.Custom : PcapNgBlockType.CustomNoCopy, _bigEndian);
        block.UInt32(custom.PrivateEnterpriseNumber);
        block.Bytes(custom.Data.Span);
        block.Finish();
        Output.Advance(size);
        if (Output.ShouldWrite) Output.WriteOut();
    }

    // The options of a record read from a file that the record does not name (further hashes, verdicts, queue,
    // copyable custom options), copied as they are, their integers turned to this file's byte order.
    private static int RawOthersSize(ReadOnlySpan<byte> options, bool bigEndian)
    {
        if (options.IsEmpty) return 0;
        int size = 0;
        bool hashSeen = false;
        var reader = new PcapNgOptionReader(options, bigEndian);
        while (reader.MoveNext())
            if (!PcapNgPacketOptions.IsNamed(reader.Code, ref hashSeen) && IsCopied(reader.Code)) size += PcapNgBlockEncoder.OptionSize(reader.Value.Length);
        return size;
    }

    private void WriteRawOthers(ref PcapNgBlockEncoder block, ReadOnlySpan<byte> options, bool bigEndian)
    {
        if (options.IsEmpty) return;
        bool hashSeen = false;
        var reader = new PcapNgOptionReader(options, bigEndian);
        while (reader.MoveNext())
        {
            if (PcapNgPacketOptions.IsNamed(reader.Code, ref hashSeen) || !IsCopied(reader.Code)) continue;
            var value = block.Option(reader.Code, reader.Value);
            if (bigEndian != _bigEndian) PcapNgOptionOrder.Swap(PcapNgBlockType.EnhancedPacket, reader.Code, value);
        }
    }

    // Custom options marked "do not copy" describe the file they were in.
    private static bool IsCopied(ushort code) => code is not (PcapNgOption.CustomNoCopyString or PcapNgOption.CustomNoCopyBinary);

    private void WriteSectionHeader(CaptureWriterOptions options)
    {
        int optionsSize = PcapNgBlockOptions.Section.Size(options);
        if (optionsSize > 0) optionsSize += 4;
        int size = PcapNgBlockType.SectionHeaderMinimum + optionsSize;
        var block = new PcapNgBlockEncoder(Output.GetSpan(size), PcapNgBlockType.SectionHeader, _bigEndian);
        block.UInt32(PcapNgBlockType.ByteOrderMagic);
        block.UInt16(1);
        block.UInt16(0);
        block.UInt64(ulong.MaxValue); // section length not known in advance (streams are not seeked)
        if (optionsSize > 0)
        {
            PcapNgBlockOptions.Section.Write(ref block, options, _bigEndian);
            block.EndOfOptions();
        }
        block.Finish();
        Output.Advance(size);
    }

    private CaptureInterface InterfaceAt(int interfaceId, string parameter)
    {
        if ((uint)interfaceId >= (uint)_interfaces.Count)
            throw new ArgumentException($"interface {interfaceId} is not described (the file has {_interfaces.Count}); add it first", parameter);
        return _interfaces[interfaceId];
    }

    internal static ulong ToUnits(long nanoseconds, CaptureInterface iface, string parameter)
    {
        if (nanoseconds < iface.TimestampOffset * Timestamps.NanosPerSecond)
            throw new ArgumentOutOfRangeException(parameter, nanoseconds, "timestamps before the interface's time offset (1970 by default) cannot be written");
        return iface.TimestampResolution switch
        {
            9 when iface.TimestampOffset == 0 => (ulong)nanoseconds,
            6 when iface.TimestampOffset == 0 => (ulong)(nanoseconds / 1000),
            _ => Timestamps.NanosecondsToUnits(nanoseconds, iface.TimestampResolution, iface.TimestampOffset),
        };
    }

    private static int RecordCommentsSize(in PacketRecord record)
    {
        int size = 0;
        foreach (var utf8 in record.Comments) size += PcapNgBlockEncoder.OptionSize(utf8.Length);
        return size;
    }
}
