using Wirecap.Decoding;
using Wirecap.Formats;

namespace Wirecap.Ncap;

// Files added by path are read by the collecting thread itself, between the queue's batches: a regular file never
// stalls, so a reading thread would only add a copy of every frame and a hand-over per batch. Each record is converted
// in the reader's buffer and its message handed over there, as ncap's own loop did.
public sealed partial class NcapEngine
{
    /// <summary>Records read from one file per turn, so queued batches (interfaces, datagrams) wait at most that long.</summary>
    private const int FileRecordsPerTurn = 1024;

    /// <summary>Sources added by path, in turn order; guarded by <see cref="_sources"/>'s lock.</summary>
    private readonly List<NcapSource> _files = [];
    private int _nextFile;

    private NcapSource AddFileByPath(NcapSourceKind kind, string path, NcapSourceOptions? options)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.OpenHandle(path).Dispose(); // a missing or unreadable file is the caller's error, not an ended source
        var source = NewFileSource(kind, path, options);
        source.FilePath = path;
        lock (_sources)
        {
            _sources.Add(source);
            _files.Add(source);
        }
        Wake();
        return source;
    }

    /// <summary>Ends a collector's wait on the queue, so it sees a source added by path.</summary>
    private void Wake()
    {
        var wake = _items.Get();
        wake.Kind = SourceQueueEntryKind.Wake;
        if (!_queue.Writer.TryWrite(wake)) _items.Return(wake); // a full queue wakes the collector anyway
    }

    /// <summary>
    /// Reads up to <see cref="FileRecordsPerTurn"/> records of the next file source and delivers their messages; false
    /// when there is no file source. A file that ends or fails is retired here, its reader closed.
    /// </summary>
    private bool ReadFiles(NcapMessageHandler handler, ref long delivered)
    {
        NcapSource source;
        lock (_sources)
        {
            if (_files.Count == 0) return false;
            _nextFile %= _files.Count;
            source = _files[_nextFile++];
        }
        if (source.Dropped)
        {
            EndFile(source, null);
            return true;
        }
        for (int i = 0; i < FileRecordsPerTurn; i++)
        {
            CaptureReader reader;
            try
            {
                reader = source.FileReader ??= OpenFile(source);
                if (!reader.Read())
                {
                    EndFile(source, null);
                    return true;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                EndFile(source, e); // what the reader raises ends the source; what the handler raises is the caller's
                return true;
            }
            bool handed;
            if (reader is NcapFrameReader messages) handed = DeliverMessage(source, messages.CurrentMessage, handler);
            else
            {
                var record = reader.Current;
                handed = DeliverFrame(source, source.Converter!, record.LinkType, record.Data, record.OriginalLength, record.TimestampNanoseconds, handler);
            }
            if (!handed) continue;
            delivered++;
            if (Volatile.Read(ref _stopRequested) == 1 || source.Dropped) break;
        }
        return true;
    }

    private static CaptureReader OpenFile(NcapSource source)
    {
        var reader = CaptureFiles.OpenReader(source.FilePath!);
        if (reader is NcapFrameReader) source.Kind = NcapSourceKind.NcapFile;
        else if (source.Kind == NcapSourceKind.NcapFile)
        {
            reader.Dispose();
            throw new CaptureFormatException(reader.Format, 0, $"{source.Label} is a {reader.Format} file, not NCAP");
        }
        return reader;
    }

    private void EndFile(NcapSource source, Exception? error)
    {
        lock (_sources) _files.Remove(source);
        CloseFile(source);
        if (!source.Dropped) Retire(source, error);
    }

    /// <summary>Closes a file source's reader, counting the messages an NCAP reader skipped as too large, as the engine's own.</summary>
    private void CloseFile(NcapSource source)
    {
        if (source.FileReader is not { } reader) return;
        source.FileReader = null;
        if (reader is NcapFrameReader messages) CountEngineDrop(NcapDropReason.TooLarge, messages.SkippedMessages);
        reader.Dispose();
    }
}
