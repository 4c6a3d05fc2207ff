namespace Wirecap.Sinks;

/// <summary>
/// When a <see cref="CaptureFileSink"/> pushes buffered records to the operating system. Records
/// are always written whole, so a process killed at any moment leaves a file that readers accept
/// up to the last flushed packet. Any limit that is reached triggers a flush.
/// </summary>
public sealed record FlushPolicy
{
    /// <summary>Flush after this many packets (1 = every packet, as tcpdump -U).</summary>
    public int? Packets { get; init; }

    /// <summary>Flush once this many bytes are buffered.</summary>
    public long? Bytes { get; init; }

    /// <summary>Flush buffered packets at least this often, also when no packet arrives.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>
    /// The resilient default: every packet is flushed as it is written (a crash loses nothing that
    /// was written; costs one write system call per packet).
    /// </summary>
    public static FlushPolicy EveryPacket { get; } = new() { Packets = 1 };

    /// <summary>Throughput first: flush only when the writer's buffer fills and on close.</summary>
    public static FlushPolicy Buffered { get; } = new();
}
