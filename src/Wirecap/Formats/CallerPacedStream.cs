namespace Wirecap.Formats;

/// <summary>
/// The stream under a reader's <see cref="System.IO.Pipelines.PipeReader"/>. A pipe only reads
/// asynchronously; when the reader's caller is synchronous (<see cref="CaptureReader.Read"/>) this
/// reads synchronously instead, on the caller's thread, as a plain stream read would — no thread-pool
/// hop per buffer for a file, a socket or standard input. Asynchronous callers read asynchronously.
/// </summary>
internal sealed class CallerPacedStream(Stream inner, bool leaveOpen) : Stream
{
    /// <summary>Set while a synchronous caller waits for the pipe's read.</summary>
    public bool Synchronous { get; set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Synchronous ? new ValueTask<int>(inner.Read(buffer.Span)) : inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen) await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
