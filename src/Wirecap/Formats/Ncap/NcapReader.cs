using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Wirecap.Formats.Ncap;

/// <summary>Reads an NCAP stream (file header, then messages) from any <see cref="Stream"/>,
/// seekable or not, or from a <see cref="PipeReader"/>. <see cref="Read"/>/<see cref="ReadAsync"/> advance to the next message and
/// <see cref="Current"/> is a view over the reader's buffer, valid until the next read (no
/// allocation per message); <see cref="ReadAllAsync"/> yields owned copies.</summary>
/// <remarks>Checks are ncap's: the length covers the fixed part, the union types are known (an
/// unknown one ends the stream with an error, as ncap abandons it), the payload fits the message.
/// Unlike ncap, a file header in the middle of the stream (concatenated files) is accepted.
/// Malformed input raises <see cref="CaptureFormatException"/> with the byte offset.</remarks>
public sealed class NcapReader : IDisposable, IAsyncDisposable
{
    private const int SegmentSize = 64 * 1024;
    private readonly InputBuffer _input;
    private readonly NcapFraming _framing;
    private int _recordLength = -1;
    private bool _disposed;

    /// <summary>Reads from <paramref name="stream"/> (through a <see cref="PipeReader"/>); the file header is checked on the first read.</summary>
    public NcapReader(Stream stream, NcapReaderOptions? options = null, bool leaveOpen = false)
        : this(InputBuffer.Over(stream ?? throw new ArgumentNullException(nameof(stream)), SegmentSize, leaveOpen), options) { }

    /// <summary>Reads what <paramref name="reader"/> delivers, in its buffers; the reader is completed
    /// on dispose unless <paramref name="leaveOpen"/> (then it is only advanced past what was read).
    /// A message that straddles two of the pipe's segments is gathered into a scratch buffer for <see cref="Current"/>.</summary>
    public NcapReader(PipeReader reader, NcapReaderOptions? options = null, bool leaveOpen = false)
        : this(new InputBuffer(reader ?? throw new ArgumentNullException(nameof(reader)), completeReader: !leaveOpen), options) { }

    private NcapReader(InputBuffer input, NcapReaderOptions? options)
    {
        _input = input;
        _framing = new NcapFraming((options ?? NcapReaderOptions.Default).MaxMessageLength);
    }

    /// <summary>Opens a file for reading.</summary>
    public static NcapReader Open(string path, NcapReaderOptions? options = null) =>
        new(InputBuffer.OverFile(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan), 1024 * 1024), options);

    /// <summary>The current message; valid until the next read.</summary>
    /// <exception cref="InvalidOperationException">No message has been read.</exception>
    public NcapRecord Current
    {
        get
        {
            if (_recordLength < 0) throw new InvalidOperationException("no current message: call Read first");
            NcapMessageDecoder.TryDecode(_input.Contiguous(0, _recordLength), out var record, out _, out _);
            return record;
        }
    }

    /// <summary>Byte offset of the current message (or of the next one before the first read).</summary>
    public long Position => _input.Offset;

    /// <summary>Messages longer than <see cref="NcapReaderOptions.MaxMessageLength"/> that were read through.</summary>
    public long SkippedMessages => _framing.SkippedMessages;

    /// <summary>Advances to the next message; false at a clean end of the stream.</summary>
    /// <exception cref="CaptureFormatException">The stream is malformed or ends inside a message.</exception>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            int need = Step();
            if (need == 0) return true;
            if (!_input.Ensure(need)) return _framing.AtEnd(_input);
        }
    }

    /// <summary>Advances to the next message; false at a clean end of the stream.</summary>
    /// <exception cref="CaptureFormatException">The stream is malformed or ends inside a message.</exception>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            int need = Step();
            if (need == 0) return true;
            if (!await _input.EnsureAsync(need, cancellationToken).ConfigureAwait(false)) return _framing.AtEnd(_input);
        }
    }

    /// <summary>Yields every remaining message as an owned copy.</summary>
    public async IAsyncEnumerable<NcapMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false))
            yield return Current.ToMessage();
    }

    // Works on buffered bytes only: 0 when a message is current, else how many bytes to buffer.
    private int Step()
    {
        if (_recordLength >= 0)
        {
            _input.Advance(_recordLength);
            _recordLength = -1;
        }
        int need = _framing.Next(_input, out int length);
        if (need == 0) _recordLength = length;
        return need;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _input.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _input.DisposeAsync().ConfigureAwait(false);
    }
}
