using Wirecap.Formats;

namespace Wirecap.Sinks;

/// <summary>How a <see cref="CaptureFileSink"/> writes: format, writer settings, rotation and flushing.</summary>
public sealed class CaptureFileSinkOptions
{
    /// <summary>File format (pcap, pcapng or NCAP).</summary>
    public CaptureFormat Format { get; init; } = CaptureFormat.PcapNg;

    /// <summary>Settings of each file's writer (link type, snaplen, pcapng interfaces...).</summary>
    public CaptureWriterOptions Writer { get; init; } = new();

    /// <summary>Rotation (tcpdump -C/-G/-W), or null for one file.</summary>
    public RotationOptions? Rotation { get; init; }

    /// <summary>When to flush; <see cref="FlushPolicy.EveryPacket"/> makes the file crash-safe packet by packet.</summary>
    public FlushPolicy Flush { get; init; } = FlushPolicy.Buffered;

    /// <summary>Called with each file's path once it is closed and complete (rotation, or disposal of the sink).</summary>
    public Action<string>? FileClosed { get; init; }

    /// <summary>Wall clock for time-based rotation and interval flushing (tests substitute their own).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
