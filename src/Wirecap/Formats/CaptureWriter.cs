namespace Wirecap.Formats;

/// <summary>
/// Writes packets to a capture file or stream in pcap or pcapng format (NCAP, which holds messages rather
/// than frames, through <c>Wirecap.Decoding.CaptureFiles</c>, which converts). Records are
/// encoded into a pooled buffer that is written out when it fills (synchronously by
/// <see cref="Write(in PacketRecord)"/>, asynchronously by <see cref="WriteAsync(Packet, CancellationToken)"/>)
/// and on <see cref="Flush"/> and dispose; nothing is allocated per packet.
/// </summary>
public abstract partial class CaptureWriter : IDisposable, IAsyncDisposable
{
    private protected readonly OutputBuffer Output;
    private protected readonly CaptureWriterOptions Options;
    private bool _disposed;

    private protected CaptureWriter(OutputBuffer output, CaptureWriterOptions options)
    {
        Output = output;
        Options = options;
    }

    /// <summary>The format being written.</summary>
    public abstract CaptureFormat Format { get; }

    /// <summary>The interfaces described so far; a record's <see cref="PacketRecord.InterfaceId"/> indexes this list.</summary>
    public abstract IReadOnlyList<CaptureInterface> Interfaces { get; }

    /// <summary>Number of bytes produced so far (written out or still buffered).</summary>
    public long Position => Output.Position;

    /// <summary>Creates a capture file (replacing an existing one) and writes its header.</summary>
    public static CaptureWriter Create(string path, CaptureFormat format, CaptureWriterOptions? options = null) =>
        Create(path, format, options, ncap: null);

    /// <summary>Creates a writer for frames; a layer that converts frames to NCAP passes <paramref name="ncap"/>.</summary>
    internal static CaptureWriter Create(string path, CaptureFormat format, CaptureWriterOptions? options, NcapWriterFactory? ncap)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            return Create(stream, format, Owned(options), ncap);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Creates a writer over a stream (which need not be seekable) and writes the header into its buffer.</summary>
    /// <exception cref="ArgumentException">Options the format cannot express (for example two interfaces in pcap).</exception>
    public static CaptureWriter Create(Stream stream, CaptureFormat format, CaptureWriterOptions? options = null) =>
        Create(stream, format, options, ncap: null);

    /// <inheritdoc cref="Create(string, CaptureFormat, CaptureWriterOptions?, NcapWriterFactory?)"/>
    internal static CaptureWriter Create(Stream stream, CaptureFormat format, CaptureWriterOptions? options, NcapWriterFactory? ncap)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new CaptureWriterOptions();
        var output = new OutputBuffer(stream, options.BufferSize, options.LeaveOpen);
        try
        {
            return format switch
            {
                CaptureFormat.Pcap => new PcapWriter(output, options),
                CaptureFormat.PcapNg => new PcapNgWriter(output, options),
                CaptureFormat.Ncap when ncap is not null => ncap(output, options),
                CaptureFormat.Ncap => throw new ArgumentException(
                    "NCAP holds messages, not frames: write frames as NCAP with Wirecap.Decoding.CaptureFiles.CreateWriter, messages with NcapWriter",
                    nameof(format)),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a format that can be written"),
            };
        }
        catch
        {
            // The writer never took ownership: release the buffer but honour LeaveOpen.
            output.Dispose();
            throw;
        }
    }

    private static CaptureWriterOptions Owned(CaptureWriterOptions? options)
    {
        options ??= new CaptureWriterOptions();
        return !options.LeaveOpen ? options : new CaptureWriterOptions
        {
            LinkType = options.LinkType,
            SnapLength = options.SnapLength,
            Precision = options.Precision,
            ByteOrder = options.ByteOrder,
            FcsLength = options.FcsLength,
            Interfaces = options.Interfaces,
            Application = options.Application,
            Hardware = options.Hardware,
            OperatingSystem = options.OperatingSystem,
            SectionComments = options.SectionComments,
            SectionOptions = options.SectionOptions,
            BufferSize = options.BufferSize,
        };
    }

    /// <summary>
    /// Describes another interface and returns its index. pcap holds exactly one interface, so
    /// there this throws <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual int AddInterface(CaptureInterface captureInterface) =>
        throw new NotSupportedException($"{Format} files hold a single interface");

    /// <summary>Writes interface statistics (pcapng Interface Statistics Block); not supported by pcap.</summary>
    public virtual void WriteStatistics(InterfaceStatistics statistics) =>
        throw new NotSupportedException($"{Format} files cannot hold interface statistics");

    /// <summary>Writes a Name Resolution Block (pcapng); not supported by pcap.</summary>
    public virtual void WriteNameResolution(NameResolutionBlock names) =>
        throw new NotSupportedException($"{Format} files cannot hold name resolution records");

    /// <summary>Writes a Decryption Secrets Block (pcapng); not supported by pcap.</summary>
    public virtual void WriteDecryptionSecrets(DecryptionSecrets secrets) =>
        throw new NotSupportedException($"{Format} files cannot hold decryption secrets");

    /// <summary>Writes a Custom Block (pcapng); not supported by pcap.</summary>
    public virtual void WriteCustomBlock(CustomBlock custom) =>
        throw new NotSupportedException($"{Format} files cannot hold custom blocks");

    private protected bool IsDisposed => _disposed;

    /// <summary>Writes one record. Data longer than the interface's snap length is cut.</summary>
    /// <exception cref="ArgumentException">The record's interface or link type does not match the file.</exception>
    public void Write(in PacketRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Encode(record, null, null);
        if (Output.ShouldWrite) Output.WriteOut();
    }

    /// <summary>
    /// Writes one record with the given comments (pcapng <c>opt_comment</c>; other formats have none)
    /// instead of the record's own. Reusing one list per source keeps this allocation-free.
    /// </summary>
    public void Write(in PacketRecord record, IReadOnlyList<string> comments)
    {
        ArgumentNullException.ThrowIfNull(comments);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Encode(record, comments, null);
        if (Output.ShouldWrite) Output.WriteOut();
    }

    /// <summary>Writes one owned packet, with its comments where the format has them.</summary>
    public void Write(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Encode(packet.AsRecord(), packet.Comments, packet.OtherOptions);
        if (Output.ShouldWrite) Output.WriteOut();
    }

    /// <summary>Writes one packet given as bytes on the given interface, with that interface's link type.</summary>
    /// <param name="data">The captured bytes.</param>
    /// <param name="timestampNanoseconds">Capture time in nanoseconds since the Unix epoch.</param>
    /// <param name="originalLength">Length on the wire; a negative value means <c>data.Length</c>.</param>
    /// <param name="interfaceId">Index into <see cref="Interfaces"/> (0 for pcap).</param>
    public void Write(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength = -1, int interfaceId = 0)
    {
        var linkType = (uint)interfaceId < (uint)Interfaces.Count ? Interfaces[interfaceId].LinkType : LinkType.Ethernet;
        Write(new PacketRecord(data, timestampNanoseconds, originalLength, linkType, interfaceId));
    }

    /// <summary>Writes one owned packet; awaits only when the buffer must be written out.</summary>
    public ValueTask WriteAsync(Packet packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Encode(packet.AsRecord(), packet.Comments, packet.OtherOptions);
        return Output.ShouldWrite ? Output.WriteOutAsync(cancellationToken) : default;
    }

    /// <summary>Writes everything buffered to the stream and flushes the stream.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Output.Flush();
    }

    /// <summary>Asynchronously writes everything buffered to the stream and flushes the stream.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Output.FlushAsync(cancellationToken);
    }

    /// <summary>Encodes one record into <see cref="Output"/>; <paramref name="comments"/> overrides the record's own comments,
    /// <paramref name="otherOptions"/> its other options (those of an owned <see cref="Packet"/>).</summary>
    private protected abstract void Encode(in PacketRecord record, IReadOnlyList<string>? comments, IReadOnlyList<CaptureOption>? otherOptions);

    /// <summary>Releases what a writer holds besides its buffer and stream (called once, when disposed).</summary>
    private protected virtual void Release() { }

    /// <summary>Flushes, then releases the buffer and (unless <see cref="CaptureWriterOptions.LeaveOpen"/>) the stream.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            Output.Flush();
        }
        finally
        {
            Output.Dispose();
            Release();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Asynchronously flushes, then releases the buffer and (unless <see cref="CaptureWriterOptions.LeaveOpen"/>) the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            await Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await Output.DisposeAsync().ConfigureAwait(false);
            Release();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>Makes the writer of frames as NCAP messages, for the layer that converts (Formats does not).</summary>
internal delegate CaptureWriter NcapWriterFactory(OutputBuffer output, CaptureWriterOptions options);
