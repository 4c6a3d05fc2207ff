using System.Buffers;

namespace Wirecap.Formats;

/// <summary>
/// A pooled write buffer in front of a stream. Records are encoded straight into it; it is
/// written out when it passes a threshold (by the caller, synchronously or asynchronously), so
/// encoding itself never does I/O.
/// </summary>
internal sealed class OutputBuffer : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _threshold;
    private byte[] _buffer;
    private int _count;
    private long _flushed;

    public OutputBuffer(Stream stream, int size, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 4096));
        _threshold = _buffer.Length / 2;
    }

    /// <summary>Bytes produced so far, written out or not.</summary>
    public long Position => _flushed + _count;

    /// <summary>True when enough is buffered that it should be written out.</summary>
    public bool ShouldWrite => _count >= _threshold;

    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _count < size) Grow(size);
        return _buffer.AsSpan(_count, size);
    }

    public void Advance(int count) => _count += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _count += bytes.Length;
    }

    /// <summary>Writes the buffered bytes to the stream (without flushing the stream itself).</summary>
    public void WriteOut()
    {
        if (_count == 0) return;
        _stream.Write(_buffer, 0, _count);
        _flushed += _count;
        _count = 0;
    }

    public async ValueTask WriteOutAsync(CancellationToken cancellationToken)
    {
        if (_count == 0) return;
        await _stream.WriteAsync(_buffer.AsMemory(0, _count), cancellationToken).ConfigureAwait(false);
        _flushed += _count;
        _count = 0;
    }

    public void Flush()
    {
        WriteOut();
        _stream.Flush();
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await WriteOutAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Grow(int size)
    {
        long wanted = Math.Max(_buffer.Length * 2L, (long)_count + size);
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(wanted, Array.MaxLength));
        Buffer.BlockCopy(_buffer, 0, bigger, 0, _count);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
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
