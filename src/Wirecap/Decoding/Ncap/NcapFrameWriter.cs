using Wirecap.Formats;
using Wirecap.Formats.Ncap;

namespace Wirecap.Decoding;

/// <summary>Writes frames as NCAP through the common <see cref="CaptureWriter"/> interface (created by
/// <see cref="CaptureFiles"/>): each frame goes through the one <see cref="FrameToNcapConverter"/>, as in the
/// engine, and its message is encoded straight into the output buffer. Frames NCAP cannot carry (ARP, TCP
/// under ncaptool's options, truncated captures...) are counted by reason in <see cref="Converter"/>.</summary>
public sealed class NcapFrameWriter : CaptureWriter
{
    private readonly CaptureInterface[] _interfaces;

    internal NcapFrameWriter(OutputBuffer output, CaptureWriterOptions options, NcapConversionOptions conversion) : base(output, options)
    {
        _interfaces = options.Interfaces.Count > 0
            ? [.. options.Interfaces]
            : [new CaptureInterface { LinkType = options.LinkType, SnapLength = options.SnapLength }];
        Converter = new FrameToNcapConverter(conversion);
        NcapMessageEncoder.WriteFileHeader(Output.GetSpan(NcapLayout.FileHeaderLength));
        Output.Advance(NcapLayout.FileHeaderLength);
    }

    /// <inheritdoc />
    public override CaptureFormat Format => CaptureFormat.Ncap;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <summary>The conversion and its counters: frames that did not become messages, by reason.</summary>
    public FrameToNcapConverter Converter { get; }

    /// <summary>Messages written.</summary>
    public long MessagesWritten { get; private set; }

    private protected override void Encode(in PacketRecord record, IReadOnlyList<string>? comments, IReadOnlyList<CaptureOption>? otherOptions)
    {
        int originalLength = record.OriginalLength < 0 ? record.Data.Length : record.OriginalLength;
        if (!Converter.TryConvert(record.LinkType, record.Data, originalLength, record.TimestampNanoseconds, out var message)) return;
        Output.Advance(NcapMessageEncoder.Encode(message, Output.GetSpan(message.EncodedLength)));
        MessagesWritten++;
    }

    private protected override void Release() => Converter.Dispose();
}
