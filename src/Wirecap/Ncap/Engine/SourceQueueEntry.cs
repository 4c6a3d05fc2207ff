using System.Runtime.InteropServices;
using Microsoft.Extensions.ObjectPool;

namespace Wirecap.Ncap;

internal enum SourceQueueEntryKind { Frames, Messages, Readable, Ended, Wake }

/// <summary>What a source puts on the engine's queue for the collecting thread: a batch of what it read (frames
/// as captured, each after a <see cref="QueuedFrame"/>, or NCAP messages as encoded), a watched socket that became
/// readable, the source's end, or a wake-up for a file added by path (<see cref="NcapEngine.Collect"/> reads those itself). Sources only read and copy: the collecting thread parses each frame or message
/// once, and hands the handler that parsed view, so nothing is encoded to cross the queue and decoded again. Pooled.</summary>
internal sealed class SourceQueueEntry
{
    public SourceQueueEntryKind Kind;
    public NcapSource Source = null!;
    public byte[] Buffer = new byte[BatchBytes + 2048];
    public int Length;
    /// <summary>Frames or messages in the batch.</summary>
    public int Count;
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
        Count++;
        return span;
    }

    public bool IsFull => Length >= BatchBytes;

    /// <summary>Appends a frame and what the conversion needs to know of it.</summary>
    public void AppendFrame(LinkType linkType, ReadOnlySpan<byte> frame, int originalLength, long timestamp)
    {
        var header = new QueuedFrame(frame.Length, linkType, originalLength, timestamp);
        var span = Append(QueuedFrame.Size + frame.Length);
        MemoryMarshal.Write(span, in header);
        frame.CopyTo(span[QueuedFrame.Size..]);
    }
}

/// <summary>What precedes each frame in a <see cref="SourceQueueEntryKind.Frames"/> batch (in the machine's byte order:
/// it never leaves the process).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct QueuedFrame(int Length, LinkType LinkType, int OriginalLength, long Timestamp)
{
    public static int Size => System.Runtime.CompilerServices.Unsafe.SizeOf<QueuedFrame>();

    public static QueuedFrame Read(ReadOnlySpan<byte> batch) => MemoryMarshal.Read<QueuedFrame>(batch);
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
        item.Count = 0;
        item.Consumed = 0;
        return item.Buffer.Length <= 128 * 1024; // do not keep jumbo buffers around
    }
}
