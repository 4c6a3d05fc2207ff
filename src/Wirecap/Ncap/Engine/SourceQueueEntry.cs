using Microsoft.Extensions.ObjectPool;

namespace Wirecap.Ncap;

internal enum SourceQueueEntryKind { Messages, Readable, Ended }

/// <summary>What a source puts on the engine's queue for the collecting thread: a batch of encoded messages, a
/// watched socket that became readable, or the source's end. Pooled.</summary>
internal sealed class SourceQueueEntry
{
    public SourceQueueEntryKind Kind;
    public NcapSource Source = null!;
    public byte[] Buffer = new byte[BatchBytes + 2048];
    public int Length;
    /// <summary>Messages already delivered from the batch (a stop can interrupt a batch; the rest is delivered next time).</summary>
    public int Consumed;
    public Exception? Error;
    public TaskCompletionSource? Handled;

    /// <summary>Batches stop growing past this, so the queue bounds memory as well as latency.</summary>
    public const int BatchBytes = 32 * 1024;

    /// <summary>Room for one more message of <paramref name="length"/> bytes after those already in the batch.</summary>
    public Span<byte> Append(int length)
    {
        if (Buffer.Length < Length + length) Array.Resize(ref Buffer, Math.Max(Length + length, Buffer.Length * 2));
        var span = Buffer.AsSpan(Length, length);
        Length += length;
        return span;
    }

    public bool IsFull => Length >= BatchBytes;
}

internal sealed class SourceQueueEntryPolicy : PooledObjectPolicy<SourceQueueEntry>
{
    public override SourceQueueEntry Create() => new();

    public override bool Return(SourceQueueEntry item)
    {
        item.Source = null!;
        item.Error = null;
        item.Handled = null;
        item.Length = 0;
        item.Consumed = 0;
        return item.Buffer.Length <= 128 * 1024; // do not keep jumbo buffers around
    }
}
