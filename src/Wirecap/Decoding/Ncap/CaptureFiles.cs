using System.IO.Pipelines;
using Wirecap.Formats;

namespace Wirecap.Decoding;

/// <summary>
/// Opens and creates capture files of every format as streams of frames, NCAP included: an NCAP input's
/// messages are rebuilt into raw IP packets, and frames written to NCAP are converted by
/// <see cref="FrameToNcapConverter"/> (the engine's conversion). For pcap and pcapng this is
/// <see cref="CaptureReader"/> and <see cref="CaptureWriter"/>; the NCAP part lives here because converting
/// between frames and messages is decoding, which the format layer does not do.
/// </summary>
public static class CaptureFiles
{
    private static readonly NcapReaderFactory RebuildFrames = (input, options) => new NcapFrameReader(input, options);

    /// <summary>Opens a pcap, pcapng or NCAP file, detecting its format from the magic number.</summary>
    /// <exception cref="CaptureFormatException">The file is not in a supported format or its header is malformed.</exception>
    public static CaptureReader OpenReader(string path, CaptureReaderOptions? options = null) =>
        CaptureReader.Open(path, options, RebuildFrames);

    /// <summary>Opens a pcap, pcapng or NCAP stream (read sequentially: pipes and sockets work), detecting its format.</summary>
    /// <exception cref="CaptureFormatException">Not a supported format, or a malformed header.</exception>
    public static CaptureReader OpenReader(Stream stream, CaptureReaderOptions? options = null) =>
        CaptureReader.Open(stream, options, RebuildFrames);

    /// <summary>Opens the pcap, pcapng or NCAP data a <see cref="PipeReader"/> delivers, detecting its format: records
    /// are parsed in the pipe's buffers, as <see cref="CaptureReader.Open(PipeReader, CaptureReaderOptions?)"/> does, and
    /// NCAP messages rebuilt into frames. The pipe is completed when the reader is disposed, unless
    /// <see cref="CaptureReaderOptions.LeaveOpen"/>.</summary>
    /// <exception cref="CaptureFormatException">Not a supported format, or a malformed header.</exception>
    public static CaptureReader OpenReader(PipeReader reader, CaptureReaderOptions? options = null) =>
        CaptureReader.Open(reader, options, RebuildFrames);

    /// <inheritdoc cref="OpenReader(string, CaptureReaderOptions?)"/>
    public static ValueTask<CaptureReader> OpenReaderAsync(string path, CaptureReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        CaptureReader.OpenAsync(path, options, RebuildFrames, cancellationToken);

    /// <inheritdoc cref="OpenReader(Stream, CaptureReaderOptions?)"/>
    public static ValueTask<CaptureReader> OpenReaderAsync(Stream stream, CaptureReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        CaptureReader.OpenAsync(stream, options, RebuildFrames, cancellationToken);

    /// <inheritdoc cref="OpenReader(PipeReader, CaptureReaderOptions?)"/>
    public static ValueTask<CaptureReader> OpenReaderAsync(PipeReader reader, CaptureReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        CaptureReader.OpenAsync(reader, options, RebuildFrames, cancellationToken);

    /// <summary>Creates a pcap, pcapng or NCAP file (replacing an existing one) and writes its header.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Its format.</param>
    /// <param name="options">Writer options.</param>
    /// <param name="conversion">For NCAP, how frames become messages (null: what <c>ncaptool -p</c> converts).</param>
    /// <exception cref="ArgumentException">Options the format cannot express.</exception>
    public static CaptureWriter CreateWriter(string path, CaptureFormat format, CaptureWriterOptions? options = null,
        NcapConversionOptions? conversion = null) =>
        CaptureWriter.Create(path, format, options, NcapWriter(conversion));

    /// <summary>Creates a writer over a stream (which need not be seekable) and writes the header into its buffer.</summary>
    /// <inheritdoc cref="CreateWriter(string, CaptureFormat, CaptureWriterOptions?, NcapConversionOptions?)"/>
    public static CaptureWriter CreateWriter(Stream stream, CaptureFormat format, CaptureWriterOptions? options = null,
        NcapConversionOptions? conversion = null) =>
        CaptureWriter.Create(stream, format, options, NcapWriter(conversion));

    private static NcapWriterFactory NcapWriter(NcapConversionOptions? conversion) =>
        (output, options) => new NcapFrameWriter(output, options, conversion ?? NcapConversionOptions.Ncaptool);
}
