using System.Buffers;
using System.Runtime.CompilerServices;

namespace Wirecap.Formats.Ncap;

/// <summary>Reads an NCAP stream (file header, then messages) from any <see cref="Stream"/>,
/// seekable or not. <see cref="Read"/>/<see cref="ReadAsync"/> advance to the next message and
/// <see cref="Current"/> is a view over the reader's buffer, valid until the next read (no
/// allocation per message); <see cref="ReadAllAsync"/> yields owned copies.</summary>
/// <remarks>Checks are ncap's: the length covers the fixed part, the union types are known (an
/// unknown one ends the stream with an error, as ncap abandons it), the payload fits the message.
/// Unlike ncap, a file header in the middle of the stream (concatenated files) is accepted.
/// Malformed input raises <see cref="CaptureFormatException"/> with the byte offset.</remarks>
public sealed class NcapReader : IDisposable, IAsyncDisposable
{
    private const int InitialBufferSize = 64 * 1024;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _start, _end;
    private long _bufferOffset;
    private readonly NcapFraming _framing;
    private int _recordLength = -1;
    private bool _disposed;

    /// <summary>Reads from <paramref name="stream"/>; the file header is checked on the first read.</summary>
    public NcapReader(Stream stream, NcapReaderOptions? options = null, bool leaveOpen = false)
        : this(stream, default, options, leaveOpen) { }

    /// <summary>Reads from <paramref name="stream"/> whose first bytes were already consumed (by
    /// format detection) and are passed in <paramref name="prefix"/>.</summary>
    internal NcapReader(Stream stream, ReadOnlySpan<byte> prefix, NcapReaderOptions? options, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _framing = new NcapFraming((options ?? NcapReaderOptions.Default).MaxMessageLength);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBufferSize, prefix.Length));
        prefix.CopyTo(_buffer);
        _end = prefix.Length;
    }

    /// <summary>Opens a file for reading.</summary>
    public static NcapReader Open(string path, NcapReaderOptions? options = null) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), options);

    /// <summary>The current message; valid until the next read.</summary>
    /// <exception cref="InvalidOperationException">No message has been read.</exception>
    public NcapRecord Current
    {
        get
        {
            if (_recordLength < 0) throw new InvalidOperationException("no current message: call Read first");
            NcapMessageDecoder.TryDecode(_buffer.AsSpan(_start, _recordLength), out var record, out _, out _);
            return record;
        }
    }

    /// <summary>Byte offset of the current message (or of the next one before the first read).</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Messages longer than <see cref="NcapReaderOptions.MaxMessageLength"/> that were read through.</summary>
    public long SkippedMessages => _framing.SkippedMessages;

    /// <summary>Advances to the next message; false at a clean end of the stream.</summary>
    /// <exception cref="CaptureFormatException">The stream is malformed or ends inside a message.</exception>
    public bool Read()
    {
        while (true)
        {
            int need = Step();
            if (need == 0) return true;
            if (!Fill(need)) return _framing.AtEnd(Buffered, Position);
        }
    }

    /// <summary>Advances to the next message; false at a clean end of the stream.</summary>
    /// <exception cref="CaptureFormatException">The stream is malformed or ends inside a message.</exception>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            int need = Step();
            if (need == 0) return true;
            if (!await FillAsync(need, cancellationToken).ConfigureAwait(false)) return _framing.AtEnd(Buffered, Position);
        }
    }

    /// <summary>Yields every remaining message as an owned copy.</summary>
    public async IAsyncEnumerable<NcapMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false))
            yield return Current.ToMessage();
    }

    private ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    // Works on buffered bytes only: 0 when a message is current, else how many bytes to buffer.
    private int Step()
    {
        if (_recordLength >= 0)
        {
            _start += _recordLength;
            _recordLength = -1;
        }
        int need = _framing.Next(Buffered, Position, out int skip, out int length);
        _start += skip;
        if (need == 0) _recordLength = length;
        return need;
    }

    private void PrepareFill(int need, out Memory<byte> free)
    {
        if (_start > 0 && (_start == _end || _buffer.Length - _start < need))
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // Grow by doubling only as data keeps arriving, so a lying length costs at most
            // twice what the stream really holds.
            int size = (int)Math.Min((long)_buffer.Length * 2, Math.Max(need, _buffer.Length));
            if (size <= _buffer.Length) size = _buffer.Length * 2;
            var bigger = ArrayPool<byte>.Shared.Rent(size);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        free = _buffer.AsMemory(_end);
    }

    private bool Fill(int need)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_end - _start < need)
        {
            PrepareFill(need, out var free);
            int n = _stream.Read(free.Span);
            if (n == 0) return false;
            _end += n;
        }
        return true;
    }

    private async ValueTask<bool> FillAsync(int need, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_end - _start < need)
        {
            PrepareFill(need, out var free);
            int n = await _stream.ReadAsync(free, cancellationToken).ConfigureAwait(false);
            if (n == 0) return false;
            _end += n;
        }
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) await _stream.DisposeAsync().ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
