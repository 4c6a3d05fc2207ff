using Wirecap.Decoding;

namespace Wirecap.Formats.Ncap;

/// <summary>Writes NCAP through the common <see cref="CaptureWriter"/> interface: each packet is
/// converted as <c>ncaptool -p</c> does (<see cref="NcapConverter"/>); packets NCAP cannot carry
/// (ARP, TCP by default, truncated captures...) are skipped and counted by reason. IP fragments
/// are reassembled first (60 s timeout, 4 MiB of pending data), as ncap does.</summary>
public sealed class NcapCaptureWriter : CaptureWriter
{
    private readonly CaptureInterface[] _interfaces;
    private readonly FragmentReassembler _reassembler = new();
    private readonly long[] _skipped = new long[Enum.GetValues<NcapConversionResult>().Length];

    internal NcapCaptureWriter(OutputBuffer output, CaptureWriterOptions options) : base(output, options)
    {
        _interfaces = options.Interfaces.Count > 0
            ? [.. options.Interfaces]
            : [new CaptureInterface { LinkType = options.LinkType, SnapLength = options.SnapLength }];
        NcapCodec.WriteFileHeader(Output.GetSpan(NcapLayout.FileHeaderLength));
        Output.Advance(NcapLayout.FileHeaderLength);
    }

    /// <inheritdoc />
    public override CaptureFormat Format => CaptureFormat.Ncap;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <summary>How frames are converted (default: ncaptool's behaviour).</summary>
    public NcapConversionOptions Conversion { get; set; } = NcapConversionOptions.Default;

    /// <summary>Messages written.</summary>
    public long MessagesWritten { get; private set; }

    /// <summary>Packets skipped because they could not be converted, for one reason.</summary>
    public long Skipped(NcapConversionResult reason) => _skipped[(int)reason];

    /// <summary>Packets skipped for any reason.</summary>
    public long SkippedTotal => _skipped.Sum();

    private protected override void Encode(in PacketRecord record, IReadOnlyList<string>? comments)
    {
        int originalLength = record.OriginalLength < 0 ? record.Data.Length : record.OriginalLength;
        var result = NcapConverter.TryConvert(record.LinkType, record.Data, originalLength, record.TimestampNanoseconds, Conversion, out var message);
        if (result == NcapConversionResult.Fragment && Conversion.ReassembleFragments
            && LinkLayer.TryParse(record.LinkType, record.Data, out var link)
            && _reassembler.Submit(link.Payload, record.TimestampNanoseconds, out var datagram) == ReassemblyStatus.Complete)
        {
            result = NcapConverter.TryConvert(LinkType.Raw, datagram, datagram.Length, record.TimestampNanoseconds, Conversion, out message);
        }
        if (result != NcapConversionResult.Converted)
        {
            _skipped[(int)result]++;
            return;
        }
        int length = message.EncodedLength;
        Output.Advance(NcapCodec.Encode(message, Output.GetSpan(length)));
        MessagesWritten++;
    }
}
