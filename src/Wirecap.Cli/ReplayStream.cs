namespace Wirecap.Cli;

/// <summary>A read-only stream that gives back bytes already taken from <paramref name="rest"/> (to look at a magic
/// number on a pipe, which cannot seek back) before reading on from it.</summary>
internal sealed class ReplayStream(byte[] head, Stream rest) : Stream
{
    private int _replayed;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_replayed == head.Length) return rest.Read(buffer);
        int n = Math.Min(buffer.Length, head.Length - _replayed);
        head.AsSpan(_replayed, n).CopyTo(buffer);
        _replayed += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _replayed == head.Length ? rest.ReadAsync(buffer, cancellationToken) : new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }
}
