using Wirecap.Decoding;
using Wirecap.Formats;

namespace Wirecap.Sinks;

/// <summary>
/// Writes a capture to files, with optional rotation (tcpdump's -C/-G/-W, ncaptool's -c/-t/-k) and
/// a flush policy that makes the output crash-safe: records are written whole, so after a kill at any
/// moment every flushed packet is readable. Each closed file is complete and valid, and a hook runs
/// for it. Thread-safe: writes, the interval flush and disposal are serialised.
/// </summary>
public sealed class CaptureFileSink : IDisposable
{
    private readonly object _gate = new();
    private readonly string _pathPattern;
    private readonly CaptureFileSinkOptions _options;
    private readonly RotationOptions _rotation;
    private readonly FlushScheduler _flush;
    private CaptureWriter? _writer;
    private string? _currentPath;
    private DateTimeOffset _openedAt;
    private int _fileNumber;
    private int _filesOpened;
    private long _closedFileBytes;
    private bool _finished;
    private bool _disposed;

    /// <summary>Opens the first file at <paramref name="path"/> (a strftime pattern when rotating by time).</summary>
    public CaptureFileSink(string path, CaptureFileSinkOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _pathPattern = path;
        _options = options ?? new CaptureFileSinkOptions();
        _rotation = _options.Rotation ?? new RotationOptions();
        _rotation.Validate();
        _flush = new FlushScheduler(_options.Flush, _options.Time, _gate);
        Open();
        SinkMetrics.Track(this);
    }

    /// <summary>The file being written.</summary>
    public string? CurrentPath { get { lock (_gate) return _currentPath; } }

    /// <summary>Packets written so far, over all files.</summary>
    public long PacketsWritten { get; private set; }

    /// <summary>Files closed so far.</summary>
    public int FilesClosed { get; private set; }

    /// <summary>Times the sink closed a file to open the next one (by size or time).</summary>
    public int FilesRotated { get; private set; }

    /// <summary>Bytes written so far over all files, headers included (what reached the writers; see
    /// <see cref="Flush"/> for what reached the operating system).</summary>
    public long BytesWritten { get { lock (_gate) return _closedFileBytes + (_writer?.Position ?? 0); } }

    /// <summary>The path, or strftime pattern, the sink was opened with.</summary>
    public string PathPattern => _pathPattern;

    /// <summary>True once a time-rotated capture reached its file count (tcpdump -G with -W then exits).</summary>
    public bool IsFinished { get { lock (_gate) return _finished; } }

    /// <summary>Writes one packet; false when the sink has finished (file count reached) and the packet was not written.</summary>
    public bool Write(in PacketRecord record)
    {
        lock (_gate)
        {
            if (!BeforeWrite()) return false;
            _writer!.Write(record);
            AfterWrite();
            return true;
        }
    }

    /// <summary>Writes one packet from its parts; see <see cref="CaptureWriter.Write(ReadOnlySpan{byte}, long, int, int)"/>.</summary>
    public bool Write(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength = -1, int interfaceId = 0)
    {
        lock (_gate)
        {
            if (!BeforeWrite()) return false;
            _writer!.Write(data, timestampNanoseconds, originalLength, interfaceId);
            AfterWrite();
            return true;
        }
    }

    /// <summary>Writes one owned packet.</summary>
    public bool Write(Packet packet)
    {
        lock (_gate)
        {
            if (!BeforeWrite()) return false;
            _writer!.Write(packet);
            AfterWrite();
            return true;
        }
    }

    /// <summary>
    /// Writes the frames of a live capture (<see cref="Linux.PacketCapture"/>, <see cref="Linux.Tc.TcCapture"/>,
    /// <see cref="Linux.Probes.ProbeCapture"/>) straight from its ring until <paramref name="maxPackets"/> were written,
    /// the capture stops or is cancelled, or the sink finishes (its last time-rotated file is done, as tcpdump -G with
    /// -W exits then); returns the frames written. Each frame goes to the writer interface its
    /// <see cref="Linux.CapturedFrame.Point"/> names: open the sink with the capture's <see cref="Linux.ILiveCapture.WriterInterfaces"/>.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public long WriteFrom(Linux.ILiveCapture capture, long maxPackets = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var handler = new LiveFrameWriter(this, capture);
        long before = PacketsWritten;
        capture.Capture(ref handler, maxPackets, cancellationToken);
        return PacketsWritten - before;
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private readonly struct LiveFrameWriter(CaptureFileSink sink, Linux.ILiveCapture capture) : Linux.IFrameHandler
    {
        public void OnFrame(in Linux.CapturedFrame frame)
        {
            if (!sink.Write(frame.ToRecord(frame.Point))) capture.Stop();
        }
    }

    /// <summary>Pushes everything buffered to the operating system.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _flush.Flush();
        }
    }

    private bool BeforeWrite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished) return false;
        var due = RotationDue();
        if (due != Rotation.None)
        {
            CloseCurrent();
            FilesRotated++;
            if (due == Rotation.Time) _fileNumber = 0; // tcpdump restarts the -C count in each -G interval
            if (_rotation.Interval is not null && _rotation.MaxFileBytes is null && _filesOpened >= _rotation.FileCount)
            {
                _finished = true;
                return false;
            }
            Open();
        }
        return true;
    }

    private enum Rotation { None, Size, Time }

    private Rotation RotationDue()
    {
        // As tcpdump -G: in whole seconds of the wall clock, so a file turns at the first packet of the second that
        // ends its interval, and the next one starts (and is named) at that second.
        if (_rotation.Interval is { } interval && WholeSeconds(_options.Time.GetUtcNow()) - _openedAt >= interval) return Rotation.Time;
        if (_rotation.MaxFileBytes is { } max && _writer!.Position > max) return Rotation.Size;
        return Rotation.None;
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private void AfterWrite()
    {
        PacketsWritten++;
        _flush.Written();
    }

    private void Open()
    {
        _openedAt = WholeSeconds(_options.Time.GetUtcNow());
        if (_rotation.MaxFileBytes is not null && _rotation.FileCount is { } ring && _fileNumber >= ring)
            _fileNumber = 0; // the ring starts overwriting its oldest file
        _currentPath = RotationFileNames.Make(_pathPattern, _rotation, _fileNumber, _openedAt.ToLocalTime());
        _writer = CaptureFiles.CreateWriter(_currentPath, _options.Format, _options.Writer);
        _flush.Attach(_writer);
        _fileNumber++;
        _filesOpened++;
        _flush.Flush(); // the file header is on disk from the start, so even an empty file is valid
    }

    private void CloseCurrent()
    {
        if (_writer is null) return;
        _writer.Dispose();
        _closedFileBytes += _writer.Position;
        _writer = null;
        _flush.Attach(null);
        FilesClosed++;
        _options.FileClosed?.Invoke(_currentPath!);
    }

    /// <summary>Closes the current file (running the hook for it) and stops the interval flush.</summary>
    public void Dispose()
    {
        SinkMetrics.Untrack(this);
        _flush.Dispose();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            CloseCurrent();
        }
    }
}
