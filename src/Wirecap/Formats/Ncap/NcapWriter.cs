namespace Wirecap.Formats.Ncap;

/// <summary>Writes an NCAP stream: the file header when created, then messages, byte for byte as
/// ncap's <c>write</c>/<c>fwrite</c> do. Output is buffered; <see cref="Flush"/> or dispose to
/// push it to the stream.</summary>
public sealed class NcapWriter : IDisposable, IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;
    private static readonly byte[] Zeros = new byte[4];
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _used;
    private bool _disposed;

    /// <summary>Writes to <paramref name="stream"/>, starting with the file header unless
    /// <paramref name="writeFileHeader"/> is false (appending to an existing stream).</summary>
    public NcapWriter(Stream stream, bool leaveOpen = false, bool writeFileHeader = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        if (writeFileHeader) WriteFileHeader();
    }

    /// <summary>Creates (or truncates) a file.</summary>
    public static NcapWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1));

    /// <summary>Messages written so far.</summary>
    public long MessagesWritten { get; private set; }

    /// <summary>Writes a file header ("NCAP" + 42), as ncap does for a NULL message.</summary>
    public void WriteFileHeader()
    {
        Reserve(NcapLayout.FileHeaderLength);
        NcapMessageEncoder.WriteFileHeader(_buffer.AsSpan(_used));
        _used += NcapLayout.FileHeaderLength;
    }

    /// <summary>Writes one message.</summary>
    /// <exception cref="ArgumentException">The record is inconsistent (see <see cref="NcapRecord.Validate"/>).</exception>
    public void Write(in NcapRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int length = record.EncodedLength;
        if (length <= BufferSize)
        {
            Reserve(length);
            _used += NcapMessageEncoder.Encode(record, _buffer.AsSpan(_used));
        }
        else
        {
            Reserve(NcapLayout.MaxHeaderLength);
            _used += NcapMessageEncoder.EncodeHeader(record, _buffer.AsSpan(_used));
            FlushBuffer();
            _stream.Write(record.Payload);
            _stream.Write(Zeros, 0, NcapLayout.Padding(record.UnpaddedLength));
        }
        MessagesWritten++;
    }

    /// <summary>Writes one owned message.</summary>
    public void Write(NcapMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.WithRecord(this, static (writer, record) => writer.Write(record));
    }

    /// <summary>Writes one owned message, flushing asynchronously when the buffer fills.</summary>
    public async ValueTask WriteAsync(NcapMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_used + NcapLayout.MaxHeaderLength + message.Payload.Length + 3 > BufferSize)
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        Write(message);
    }

    /// <summary>Pushes buffered bytes to the stream and flushes it.</summary>
    public void Flush()
    {
        FlushBuffer();
        _stream.Flush();
    }

    /// <summary>Pushes buffered bytes to the stream and flushes it.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_used > 0)
        {
            await _stream.WriteAsync(_buffer.AsMemory(0, _used), cancellationToken).ConfigureAwait(false);
            _used = 0;
        }
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Reserve(int length)
    {
        if (_used + length > BufferSize) FlushBuffer();
    }

    private void FlushBuffer()
    {
        if (_used == 0) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        try { Flush(); }
        finally
        {
            _disposed = true;
            if (!_leaveOpen) _stream.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        try { await FlushAsync().ConfigureAwait(false); }
        finally
        {
            _disposed = true;
            if (!_leaveOpen) await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
