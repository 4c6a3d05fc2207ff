using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Wirecap.Formats;

/// <summary>
/// Reads packets from a capture file or stream (pcap, pcapng), detecting the format from its magic
/// number (NCAP, which holds messages rather than frames, through <c>Wirecap.Decoding.CaptureFiles</c>,
/// which converts). Two ways to read:
/// <list type="bullet">
/// <item>zero-copy: <c>while (reader.Read()) { var r = reader.Current; ... }</c> — each
/// <see cref="PacketRecord"/> is a view over the reader's buffer, valid until the next read,
/// and nothing is allocated per packet;</item>
/// <item>owned: <c>await foreach (var p in reader.ReadAllAsync())</c> yields <see cref="Packet"/>s.</item>
/// </list>
/// Malformed input raises <see cref="CaptureFormatException"/>; complete records before a
/// truncated one are delivered first. Every source is read sequentially through a
/// <see cref="PipeReader"/>, never seeked, so pipes, standard input and sockets work; records are
/// parsed in the pipe's buffers and copied only into an owned <see cref="Packet"/>.
/// </summary>
public abstract partial class CaptureReader : IDisposable, IAsyncDisposable
{
    private protected const int NeedNothing = 0;
    private protected const int EndOfData = -1;

    private protected readonly InputBuffer Input;
    private protected readonly CaptureReaderOptions Options;

    private int _currentSize;
    private bool _hasCurrent;
    // A current record that lies in the input and carries nothing but its bytes, time and lengths: Current's short path.
    private bool _plain;
    // Whether the record SetCurrent is publishing can take Current's short path: set by SetCurrent, cleared by what
    // adds anything beside the bytes. Kept as it is parsed so that publishing a record tests one flag, not six fields.
    private bool _publishingPlain;
    private bool _disposed;

    // The current record, as offsets from Input's first unconsumed byte (Input is not advanced past it until the next read).
    private int _dataOffset;
    private int _dataLength;
    private int _optionsOffset;
    private int _optionsLength;
    private long _timestamp;
    private int _originalLength;
    private LinkType _linkType;
    private int _interfaceId;
    private uint _flags;
    private ulong? _dropCount;
    private ulong? _packetId;
    private int _hashOffset;
    private int _hashLength;
    private bool _bigEndian;
    private bool _timestampUnknown;

    private protected CaptureReader(InputBuffer input, CaptureReaderOptions options, bool recordsInInput = true)
    {
        Input = input;
        Options = options;
        _recordsInInput = recordsInInput;
    }

    // False for readers whose packets are rebuilt in a buffer of their own (RecordBytes overridden).
    private readonly bool _recordsInInput;

    /// <summary>The format of the data being read.</summary>
    public abstract CaptureFormat Format { get; }

    /// <summary>
    /// The interfaces of the current section: for pcap the single interface the header
    /// describes; for pcapng the Interface Description Blocks seen so far (a new section
    /// starts a new list). <see cref="PacketRecord.InterfaceId"/> indexes this list.
    /// </summary>
    public abstract IReadOnlyList<CaptureInterface> Interfaces { get; }

    /// <summary>
    /// Every block seen so far that describes rather than carries packets, in file order: for pcapng the section
    /// headers (<see cref="CaptureSection"/>), interface descriptions, statistics, name resolution, decryption
    /// secrets and custom blocks; for pcap its one interface. A copy writes each new one before the next packet
    /// (see <see cref="CaptureCopier"/>).
    /// </summary>
    public virtual IReadOnlyList<CaptureBlock> Blocks => Interfaces;

    /// <summary>Interface Statistics Blocks seen so far (pcapng; empty for other formats).</summary>
    public virtual IReadOnlyList<InterfaceStatistics> Statistics => [];

    /// <summary>Name Resolution Block entries seen so far (pcapng; empty for other formats).</summary>
    public virtual IReadOnlyList<NameResolutionEntry> NameResolution => [];

    /// <summary>Number of bytes of the stream consumed so far, up to the end of the current record.</summary>
    public long Position => Input.Offset + _currentSize;

    /// <summary>
    /// The record the last successful <see cref="Read"/> or <see cref="ReadAsync"/> produced;
    /// valid until the next read or until the reader is disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">No record has been read, or the end was reached.</exception>
    public PacketRecord Current
    {
        // Inlined into the caller's loop so that the common record is built in its frame: returned through a call, the
        // 128-byte record was zeroed, built and then copied with the GC's write barrier on every packet (bench/README.md).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            // The common case (every pcap record, most pcapng ones): bytes in one segment, no options.
            if (_plain && Input.TryGetSpan(_dataOffset, _dataLength, out var plain))
                return new PacketRecord(plain, _timestamp, _originalLength, _linkType, _interfaceId);
            return CurrentWithOptionsOrSplit();
        }
    }

    /// <summary>
    /// The current record's bytes, link type and wire length when it is a plain one (what <see cref="Current"/> returns
    /// by its short path), without building the record: a filter that drops most packets never builds one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGetPlainCurrent(out ReadOnlySpan<byte> data, out LinkType linkType, out int originalLength)
    {
        linkType = _linkType;
        originalLength = _originalLength;
        if (_plain) return Input.TryGetSpan(_dataOffset, _dataLength, out data);
        data = default;
        return false;
    }

    // Apart from the common case so that its locals do not enlarge (and zero) the hot path's frame on every record.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private PacketRecord CurrentWithOptionsOrSplit()
    {
        if (!_hasCurrent) throw new InvalidOperationException("No current record: call Read or ReadAsync first, and only use Current while it returned true.");
        var options = _optionsLength == 0 ? default : Input.Contiguous(_optionsOffset, _optionsLength);
        var hash = _hashLength == 0 ? default : options.Slice(_hashOffset - _optionsOffset, _hashLength);
        var data = RecordBytes(_dataOffset, _dataLength, out bool split);
        if (!split)
            return new PacketRecord(data, _timestamp, _originalLength, _linkType, _interfaceId, options, _bigEndian)
            {
                Flags = _flags,
                DropCount = _dropCount,
                PacketId = _packetId,
                Hash = hash,
                TimestampUnknown = _timestampUnknown,
            };
        return new PacketRecord(Input, _dataOffset, _dataLength, _timestamp, _originalLength, _linkType, _interfaceId, options, _bigEndian)
        {
            Flags = _flags,
            DropCount = _dropCount,
            PacketId = _packetId,
            Hash = hash,
            TimestampUnknown = _timestampUnknown,
        };
    }

    /// <summary>Opens a capture file, detecting its format from the magic number.</summary>
    /// <exception cref="CaptureFormatException">The file is not in a supported format or its header is malformed.</exception>
    public static CaptureReader Open(string path, CaptureReaderOptions? options = null) => Open(path, options, ncap: null);

    /// <summary>Opens a reader of frames; a layer that converts NCAP messages to frames passes <paramref name="ncap"/>.</summary>
    internal static CaptureReader Open(string path, CaptureReaderOptions? options, NcapReaderFactory? ncap)
    {
        ArgumentNullException.ThrowIfNull(path);
        var owned = ForOwnedStream(options);
        return Open(OpenFile(path, owned), owned, ncap);
    }

    /// <summary>
    /// Opens a capture stream, detecting its format from the magic number. The stream is read
    /// sequentially only, through a <see cref="PipeReader"/>, so non-seekable streams work. This call
    /// blocks until the file header (and for pcapng the first interface description) has arrived;
    /// use <see cref="OpenAsync(Stream, CaptureReaderOptions?, CancellationToken)"/> to wait asynchronously.
    /// </summary>
    /// <exception cref="CaptureFormatException">Not a supported format, or a malformed header.</exception>
    public static CaptureReader Open(Stream stream, CaptureReaderOptions? options = null) => Open(stream, options, ncap: null);

    /// <inheritdoc cref="Open(string, CaptureReaderOptions?, NcapReaderFactory?)"/>
    internal static CaptureReader Open(Stream stream, CaptureReaderOptions? options, NcapReaderFactory? ncap)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new CaptureReaderOptions();
        return Open(InputBuffer.Over(stream, options.BufferSize, options.LeaveOpen), options, ncap);
    }

    /// <summary>
    /// Opens the capture data a <see cref="PipeReader"/> delivers, detecting its format from the magic
    /// number. Records are parsed in the pipe's buffers; one that straddles two of its segments is
    /// delivered as a multi-segment record (<see cref="PacketRecord.IsMultiSegment"/>). The reader
    /// completes <paramref name="reader"/> when disposed, unless <see cref="CaptureReaderOptions.LeaveOpen"/>
    /// (then it only advances the pipe past what it consumed). Blocks until the header has arrived.
    /// </summary>
    /// <exception cref="CaptureFormatException">Not a supported format, or a malformed header.</exception>
    public static CaptureReader Open(PipeReader reader, CaptureReaderOptions? options = null) => Open(reader, options, ncap: null);

    /// <inheritdoc cref="Open(string, CaptureReaderOptions?, NcapReaderFactory?)"/>
    internal static CaptureReader Open(PipeReader reader, CaptureReaderOptions? options, NcapReaderFactory? ncap)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CaptureReaderOptions();
        return Open(new InputBuffer(reader, completeReader: !options.LeaveOpen), options, ncap);
    }

    private static CaptureReader Open(InputBuffer input, CaptureReaderOptions options, NcapReaderFactory? ncap)
    {
        CaptureReader? reader = null;
        try
        {
            input.Ensure(4);
            reader = Create(input, options, ncap);
            reader.ReadHeaderBlocking();
            return reader;
        }
        catch
        {
            if (reader is null) input.Dispose();
            else reader.Dispose();
            throw;
        }
    }

    /// <summary>Opens a capture file asynchronously, detecting its format from the magic number.</summary>
    public static ValueTask<CaptureReader> OpenAsync(string path, CaptureReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(path, options, ncap: null, cancellationToken);

    /// <inheritdoc cref="Open(string, CaptureReaderOptions?, NcapReaderFactory?)"/>
    internal static ValueTask<CaptureReader> OpenAsync(string path, CaptureReaderOptions? options, NcapReaderFactory? ncap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var owned = ForOwnedStream(options);
        return OpenAsync(OpenFile(path, owned), owned, ncap, cancellationToken);
    }

    /// <summary>Opens a capture stream asynchronously, detecting its format from the magic number.</summary>
    public static ValueTask<CaptureReader> OpenAsync(Stream stream, CaptureReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(stream, options, ncap: null, cancellationToken);

    /// <inheritdoc cref="Open(string, CaptureReaderOptions?, NcapReaderFactory?)"/>
    internal static ValueTask<CaptureReader> OpenAsync(Stream stream, CaptureReaderOptions? options, NcapReaderFactory? ncap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new CaptureReaderOptions();
        return OpenAsync(InputBuffer.Over(stream, options.BufferSize, options.LeaveOpen), options, ncap, cancellationToken);
    }

    /// <summary>Opens the capture data a <see cref="PipeReader"/> delivers, asynchronously; see <see cref="Open(PipeReader, CaptureReaderOptions?)"/>.</summary>
    public static ValueTask<CaptureReader> OpenAsync(PipeReader reader, CaptureReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(reader, options, ncap: null, cancellationToken);

    /// <inheritdoc cref="Open(string, CaptureReaderOptions?, NcapReaderFactory?)"/>
    internal static ValueTask<CaptureReader> OpenAsync(PipeReader reader, CaptureReaderOptions? options, NcapReaderFactory? ncap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CaptureReaderOptions();
        return OpenAsync(new InputBuffer(reader, completeReader: !options.LeaveOpen), options, ncap, cancellationToken);
    }

    private static async ValueTask<CaptureReader> OpenAsync(InputBuffer input, CaptureReaderOptions options, NcapReaderFactory? ncap, CancellationToken cancellationToken)
    {
        CaptureReader? reader = null;
        try
        {
            await input.EnsureAsync(4, cancellationToken).ConfigureAwait(false);
            reader = Create(input, options, ncap);
            await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            if (reader is null) await input.DisposeAsync().ConfigureAwait(false);
            else await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // A stream the reader opened itself is always closed with it.
    private static CaptureReaderOptions ForOwnedStream(CaptureReaderOptions? options) => new()
    {
        MaxPacketLength = options?.MaxPacketLength ?? CaptureReaderOptions.DefaultMaxPacketLength,
        BufferSize = options?.BufferSize ?? 1024 * 1024,
    };

    // A file opened by path is read through one pooled array rather than a pipe: the faster way (bench/README.md).
    private static InputBuffer OpenFile(string path, CaptureReaderOptions options) =>
        InputBuffer.OverFile(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan), options.BufferSize);

    private static CaptureReader Create(InputBuffer input, CaptureReaderOptions options, NcapReaderFactory? ncap)
    {
        if (input.Length < 4)
            throw new CaptureFormatException(CaptureFormat.Unknown, 0, $"the data ends after {input.Length} bytes, before a 4-byte magic number");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(input.Peek(0, 4));
        switch (magic)
        {
            case 0xa1b2c3d4 or 0xd4c3b2a1 or 0xa1b23c4d or 0x4d3cb2a1:
                return new PcapReader(input, options);
            case PcapNgBlockType.SectionHeader:
                return new PcapNgReader(input, options);
            case 0x4e434150 when ncap is not null: // "NCAP"
                return ncap(input, options);
            case 0x4e434150:
                throw new CaptureFormatException(CaptureFormat.Ncap, 0,
                    "an NCAP stream holds messages, not frames: read its messages with NcapReader, or frames rebuilt from them with Wirecap.Decoding.CaptureFiles.OpenReader");
            default:
                throw new CaptureFormatException(CaptureFormat.Unknown, 0,
                    $"unknown magic number 0x{magic:x8}: not a pcap, pcapng or NCAP file");
        }
    }

    /// <summary>Reads the next record. Returns false at the clean end of the data.</summary>
    /// <exception cref="CaptureFormatException">The data is malformed or ends inside a record.</exception>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReleaseCurrent();
        while (true)
        {
            int need = ParseNext();
            if (need == NeedNothing) return Published();
            if (need == EndOfData) return false;
            if (!Input.Ensure(need)) return EndOrTruncated(need);
        }
    }

    /// <summary>
    /// Reads the next record asynchronously. Completes synchronously, without allocating, when the
    /// record is already buffered. Returns false at the clean end of the data.
    /// </summary>
    /// <exception cref="CaptureFormatException">The data is malformed or ends inside a record.</exception>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReleaseCurrent();
        int need = ParseNext();
        if (need == NeedNothing) return new ValueTask<bool>(Published());
        if (need == EndOfData) return new ValueTask<bool>(false);
        return ReadSlowAsync(need, cancellationToken);
    }

    private async ValueTask<bool> ReadSlowAsync(int need, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await Input.EnsureAsync(need, cancellationToken).ConfigureAwait(false)) return EndOrTruncated(need);
            need = ParseNext();
            if (need == NeedNothing) return Published();
            if (need == EndOfData) return false;
        }
    }

    /// <summary>Reads every remaining record as an owned <see cref="Packet"/>.</summary>
    public async IAsyncEnumerable<Packet> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false))
            yield return CurrentAsPacket();
    }

    private Packet CurrentAsPacket() => Current.ToPacket();

    private void ReadHeaderBlocking()
    {
        while (true)
        {
            int need = ParseHeader();
            if (need == NeedNothing || need == EndOfData) return;
            if (!Input.Ensure(need)) { EndOrTruncated(need); return; }
        }
    }

    private async ValueTask ReadHeaderAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int need = ParseHeader();
            if (need == NeedNothing || need == EndOfData) return;
            if (!await Input.EnsureAsync(need, cancellationToken).ConfigureAwait(false)) { EndOrTruncated(need); return; }
        }
    }

    // ParseNext published a record: it is current, and plain when it lies in the input with nothing beside its bytes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Published()
    {
        _plain = _publishingPlain;
        return _hasCurrent = true;
    }

    private void ReleaseCurrent()
    {
        Input.Advance(_currentSize);
        _currentSize = 0;
        _hasCurrent = _plain = false;
    }

    private bool EndOrTruncated(int need)
    {
        if (Input.Length == 0 && EndAllowed) return false;
        throw new CaptureFormatException(Format, Input.Offset,
            $"truncated {Pending}: {need} bytes needed, only {Input.Length} before the end of the data");
    }

    /// <summary>
    /// Parses the file header from <see cref="Input"/> (consuming it). Returns <see cref="NeedNothing"/>
    /// when done, or the number of bytes that must be buffered before calling again.
    /// </summary>
    private protected abstract int ParseHeader();

    /// <summary>
    /// Parses structures from <see cref="Input"/> until a packet record is ready (then calls
    /// <see cref="SetCurrent"/> and returns <see cref="NeedNothing"/>), the data ends cleanly
    /// (<see cref="EndOfData"/>), or more bytes are needed (returns how many must be buffered,
    /// after setting <see cref="Pending"/> and <see cref="EndAllowed"/>).
    /// </summary>
    private protected abstract int ParseNext();

    /// <summary>What the parser is waiting for, for the truncation message ("pcap record header").</summary>
    private protected string Pending { get; set; } = "file header";

    /// <summary>Whether the data may end cleanly at the current position (between records).</summary>
    private protected bool EndAllowed { get; set; }

    /// <summary>
    /// The bytes the data offsets of <see cref="SetCurrent"/> refer to: in the input, as a span when
    /// they lie in one of its segments, else nothing and <paramref name="split"/> set; for formats whose packets
    /// are synthesized (NCAP), in the reader's own buffer.
    /// </summary>
    private protected virtual ReadOnlySpan<byte> RecordBytes(int offset, int length, out bool split)
    {
        split = !Input.TryGetSpan(offset, length, out var span);
        return span;
    }

    /// <summary>Publishes the packet at the start of <see cref="Input"/>; offsets count from its first unconsumed byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void SetCurrent(int recordSize, int dataOffset, int dataLength, long timestamp, int originalLength,
        LinkType linkType, int interfaceId)
    {
        _currentSize = recordSize;
        _dataOffset = dataOffset;
        _dataLength = dataLength;
        _timestamp = timestamp;
        _originalLength = originalLength;
        _linkType = linkType;
        _interfaceId = interfaceId;
        _optionsOffset = _optionsLength = _hashOffset = _hashLength = 0;
        _flags = 0;
        _dropCount = _packetId = null;
        _timestampUnknown = false;
        _publishingPlain = _recordsInInput;
    }

    /// <summary>Marks the record published by <see cref="SetCurrent"/> as one whose block records no time (a simple packet).</summary>
    private protected void SetCurrentTimestampUnknown()
    {
        _timestampUnknown = true;
        _publishingPlain = false;
    }

    /// <summary>Adds the pcapng packet options to the record published by <see cref="SetCurrent"/>.</summary>
    private protected void SetCurrentOptions(int optionsOffset, int optionsLength, bool bigEndian, uint flags,
        ulong? dropCount, ulong? packetId, int hashOffset, int hashLength)
    {
        _optionsOffset = optionsOffset;
        _optionsLength = optionsLength;
        _bigEndian = bigEndian;
        _flags = flags;
        _dropCount = dropCount;
        _packetId = packetId;
        _hashOffset = hashOffset;
        _hashLength = hashLength;
        if (optionsLength != 0 || flags != 0 || dropCount is not null || packetId is not null) _publishingPlain = false;
    }

    /// <summary>Releases the buffer and, unless <see cref="CaptureReaderOptions.LeaveOpen"/>, the stream.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _hasCurrent = _plain = false;
        Input.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Asynchronously releases the buffer and, unless <see cref="CaptureReaderOptions.LeaveOpen"/>, the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _hasCurrent = _plain = false;
        await Input.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Makes the reader of frames rebuilt from NCAP messages, for the layer that converts (Formats does not).</summary>
internal delegate CaptureReader NcapReaderFactory(InputBuffer input, CaptureReaderOptions options);
