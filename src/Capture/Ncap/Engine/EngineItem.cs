using Microsoft.Extensions.ObjectPool;

namespace Capture.Ncap;

internal enum EngineItemKind { Message, Watch, Ended }

/// <summary>What a source hands to the collecting thread: an encoded message, a readiness event, or its end. Pooled.</summary>
internal sealed class EngineItem
{
    public EngineItemKind Kind;
    public NcapSource Source = null!;
    public byte[] Buffer = new byte[2048];
    public int Length;
    public Exception? Error;
    public TaskCompletionSource? Handled;

    public Span<byte> Reserve(int length)
    {
        if (Buffer.Length < length) Buffer = new byte[Math.Max(length, Buffer.Length * 2)];
        Length = length;
        return Buffer.AsSpan(0, length);
    }
}

internal sealed class EngineItemPolicy : PooledObjectPolicy<EngineItem>
{
    public override EngineItem Create() => new();

    public override bool Return(EngineItem item)
    {
        item.Source = null!;
        item.Error = null;
        item.Handled = null;
        item.Length = 0;
        return item.Buffer.Length <= 128 * 1024; // do not keep jumbo buffers around
    }
}
