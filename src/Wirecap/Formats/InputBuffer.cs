using System.Buffers;

namespace Wirecap.Formats;

/// <summary>
/// A pooled read buffer over any stream (files, pipes, sockets; seeking is never used).
/// Records are parsed in place and handed out as spans, so the buffer only moves data when a
/// record straddles its end. It grows only as bytes actually arrive (at most doubling per
/// step), so a lying length field can never make it allocate more than twice the real data.
/// </summary>
internal sealed class InputBuffer : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOrigin;

    public InputBuffer(Stream stream, int initialSize, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialSize, 4096));
    }

    /// <summary>True once the stream has reported its end.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>Stream offset of the first unconsumed byte.</summary>
    public long Offset => _bufferOrigin + _start;

    /// <summary>Number of buffered, unconsumed bytes.</summary>
    public int Length => _end - _start;

    /// <summary>The buffered, unconsumed bytes; valid until the next <see cref="Ensure"/> or <see cref="EnsureAsync"/>.</summary>
    public ReadOnlySpan<byte> Span => new(_buffer, _start, _end - _start);

    public void Advance(int count) => _start += count;

    /// <summary>Reads until at least <paramref name="count"/> bytes are buffered; false if the stream ends first.</summary>
    public bool Ensure(int count)
    {
        while (_end - _start < count)
        {
            if (EndOfStream) return false;
            MakeRoom(count);
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0) EndOfStream = true;
            else _end += read;
        }
        return true;
    }

    /// <summary>Asynchronous <see cref="Ensure"/>.</summary>
    public async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (EndOfStream) return false;
            MakeRoom(count);
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end, _buffer.Length - _end), cancellationToken).ConfigureAwait(false);
            if (read <= 0) EndOfStream = true;
            else _end += read;
        }
        return true;
    }

    private void MakeRoom(int count)
    {
        if (_buffer.Length - _start >= count && _end < _buffer.Length) return;
        int length = _end - _start;
        byte[] target = _buffer;
        if (length == _buffer.Length || (count > _buffer.Length && length * 2 >= _buffer.Length))
        {
            // Grow only when the buffer is at least half full of real data.
            int size = (int)Math.Min(Math.Max((long)count, _buffer.Length + 1L), _buffer.Length * 2L);
            target = ArrayPool<byte>.Shared.Rent(Math.Min(size, Array.MaxLength));
        }
        Buffer.BlockCopy(_buffer, _start, target, 0, length);
        if (!ReferenceEquals(target, _buffer)) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = target;
        _bufferOrigin += _start;
        _start = 0;
        _end = length;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        if (!_leaveOpen) _stream.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        if (!_leaveOpen) await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
