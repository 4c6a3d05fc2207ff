using System.Buffers.Binary;

namespace Wirecap.Formats;

/// <summary>
/// Writer for classic pcap files (microsecond or nanosecond, either byte order, FCS bits).
/// Obtain one from <see cref="CaptureWriter.Create(Stream, CaptureFormat, CaptureWriterOptions?)"/>.
/// </summary>
public sealed class PcapWriter : CaptureWriter
{
    private readonly CaptureInterface[] _interfaces;
    private readonly bool _bigEndian;
    private readonly bool _nanoseconds;
    private readonly int _snapLength;

    internal PcapWriter(OutputBuffer output, CaptureWriterOptions options) : base(output, options)
    {
        if (options.Interfaces.Count > 1)
            throw new ArgumentException($"pcap files hold a single interface, {options.Interfaces.Count} were given", nameof(options));
        var single = options.Interfaces.Count == 1 ? options.Interfaces[0] : null;
        var linkType = single?.LinkType ?? options.LinkType;
        int snapLength = single?.SnapLength ?? options.SnapLength;
        if (snapLength < 0) throw new ArgumentOutOfRangeException(nameof(options), snapLength, "the snap length cannot be negative");
        if ((uint)linkType > PcapFileHeader.LinkTypeMask)
            throw new ArgumentOutOfRangeException(nameof(options), linkType, "pcap link types are 16-bit values");
        uint linkField = (uint)linkType;
        if (options.FcsLength is { } fcs)
        {
            if (fcs < 0 || fcs > 30 || fcs % 2 != 0)
                throw new ArgumentOutOfRangeException(nameof(options), fcs, "the pcap FCS length is an even number of bytes from 0 to 30");
            linkField |= PcapFileHeader.FcsPresentBit | ((uint)(fcs / 2) << PcapFileHeader.FcsShift);
        }
        _bigEndian = options.BigEndian;
        _nanoseconds = options.Precision == TimestampPrecision.Nanosecond;
        // libpcap (tcpdump -r) and our reader refuse records beyond the link type's maximum, whatever the header says.
        _snapLength = Math.Min(LinkTypes.EffectiveSnapLength(linkType, snapLength), LinkTypes.MaximumSnapLength(linkType));
        _interfaces = [new CaptureInterface
        {
            LinkType = linkType,
            SnapLength = snapLength,
            TimestampResolution = (byte)(_nanoseconds ? 9 : 6),
            FcsLength = options.FcsLength,
        }];

        var header = output.GetSpan(PcapFileHeader.Size);
        WriteUInt32(header, _nanoseconds ? PcapFileHeader.NanosecondMagic : PcapFileHeader.MicrosecondMagic);
        WriteUInt16(header[4..], PcapFileHeader.VersionMajor);
        WriteUInt16(header[6..], PcapFileHeader.VersionMinor);
        WriteUInt32(header[8..], 0);  // thiszone: always UTC
        WriteUInt32(header[12..], 0); // sigfigs
        WriteUInt32(header[16..], (uint)snapLength);
        WriteUInt32(header[20..], linkField);
        output.Advance(PcapFileHeader.Size);
    }

    /// <inheritdoc />
    public override CaptureFormat Format => CaptureFormat.Pcap;

    /// <summary>The number of bytes of a record this file keeps: the header's snap length (0 read as the link type's
    /// maximum), and never more than that maximum, beyond which readers refuse a record.</summary>
    public int SnapLength => _snapLength;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    private protected override void Encode(in PacketRecord record, IReadOnlyList<string>? comments, IReadOnlyList<CaptureOption>? otherOptions)
    {
        if (record.InterfaceId != 0)
            throw new ArgumentException($"pcap files hold a single interface (0); the record is for interface {record.InterfaceId}", nameof(record));
        if (record.LinkType != _interfaces[0].LinkType)
            throw new ArgumentException($"the record's link type {record.LinkType} differs from the file's {_interfaces[0].LinkType}", nameof(record));
        long ns = record.TimestampNanoseconds;
        long seconds = Math.DivRem(ns, Timestamps.NanosPerSecond, out long remainder);
        if (remainder < 0) { seconds--; remainder += Timestamps.NanosPerSecond; }
        if (seconds is < 0 or > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(record), ns, "pcap timestamps cover 1970 to 2106");
        var data = record.Data;
        int captured = Math.Min(data.Length, _snapLength);
        // Written as given, even when below the captured length: tcpdump copies such records as they are.
        int original = record.OriginalLength;
        var span = Output.GetSpan(PcapFileHeader.RecordHeaderSize + captured);
        WriteUInt32(span, (uint)seconds);
        WriteUInt32(span[4..], (uint)(_nanoseconds ? remainder : remainder / 1000));
        WriteUInt32(span[8..], (uint)captured);
        WriteUInt32(span[12..], (uint)original);
        data[..captured].CopyTo(span[PcapFileHeader.RecordHeaderSize..]);
        Output.Advance(PcapFileHeader.RecordHeaderSize + captured);
    }

    private void WriteUInt32(Span<byte> b, uint value)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, value);
    }

    private void WriteUInt16(Span<byte> b, ushort value)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, value);
        else BinaryPrimitives.WriteUInt16LittleEndian(b, value);
    }
}
