using Wirecap.Formats;
using Wirecap.Decoding;

namespace Wirecap.Ncap;

/// <summary>What kind of input a source is.</summary>
public enum NcapSourceKind
{
    /// <summary>A live network interface.</summary>
    Interface,
    /// <summary>A pcap or pcapng file or stream.</summary>
    CaptureFile,
    /// <summary>An NCAP file or stream.</summary>
    NcapFile,
    /// <summary>A datagram socket carrying NCAP messages.</summary>
    Datagram,
    /// <summary>Any other socket, watched for readability.</summary>
    Watch,
}

/// <summary>A source added to an <see cref="NcapEngine"/>; the handle to drop it and to read its counters.</summary>
public sealed class NcapSource
{
    private readonly CancellationTokenSource _cancel = new();
    private long _messages;

    internal NcapSource(NcapSourceKind kind, string label, NcapSourceOptions options)
    {
        Kind = kind;
        Label = label;
        Options = options;
    }

    /// <summary>The kind of input (a capture file found to hold NCAP becomes <see cref="NcapSourceKind.NcapFile"/> once its reading starts).</summary>
    public NcapSourceKind Kind { get; internal set; }

    /// <summary>The label given when it was added (passed to the collect callback).</summary>
    public string Label { get; }

    /// <summary>ncap's label form: "if eth0", "pf label", "nf label", "dg label", "fd label".</summary>
    public string Description => Kind switch
    {
        NcapSourceKind.Interface => "if " + Label,
        NcapSourceKind.CaptureFile => "pf " + Label,
        NcapSourceKind.NcapFile => "nf " + Label,
        NcapSourceKind.Datagram => "dg " + Label,
        _ => "fd " + Label,
    };

    /// <summary>Messages this source produced (before the engine's filter).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>The conversion of frames to messages and its counters, for sources that may carry frames
    /// (interfaces, capture files); else null.</summary>
    public FrameToNcapConverter? Converter { get; internal set; }

    /// <summary>True once the source has ended (end of input, error, or dropped).</summary>
    public bool IsEnded { get; internal set; }

    /// <summary>Why the source ended early, or null.</summary>
    public Exception? Error { get; internal set; }

    /// <summary>For an interface source, the capture's counters (received, dropped by the kernel) once it has stopped; else null.</summary>
    public Wirecap.Linux.CaptureStatistics? InterfaceStatistics { get; internal set; }

    /// <summary>For a datagram source, its receiver's counters (headers, ignored, malformed, gaps); else null.</summary>
    public NcapDatagramReceiver? Datagrams { get; internal set; }

    internal NcapSourceOptions Options { get; }
    internal (NcapWatcher Watcher, System.Net.Sockets.Socket Socket)? Watcher { get; set; }
    internal CancellationToken Cancellation => _cancel.Token;
    internal Task? Pump { get; set; }
    /// <summary>A file added by path, which the collecting thread reads (its reader open once reading has begun).</summary>
    internal string? FilePath { get; set; }
    internal CaptureReader? FileReader { get; set; }
    internal bool Dropped { get; private set; }
    internal Action? OnDrop { get; set; }

    // Only the collecting thread counts: a plain increment, published for readers on other threads.
    internal void CountMessage() => Volatile.Write(ref _messages, _messages + 1);

    /// <summary>Frames or messages read and put on the engine's queue so far (the collecting thread converts them).</summary>
    internal long Queued => Interlocked.Read(ref _queued);

    internal void CountQueued(int count) => Interlocked.Add(ref _queued, count);

    private long _queued;

    internal void Drop()
    {
        Dropped = true;
        _cancel.Cancel();
        OnDrop?.Invoke();
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
