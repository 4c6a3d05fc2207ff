using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wirecap.Formats;

/// <summary>
/// The bytes a reader parses, read through a <see cref="PipeReader"/> (over a file, standard input,
/// a socket or any stream; seeking is never used). Records are parsed where they lie in the pipe's
/// buffers: a structure that straddles two buffer segments is either handed out as a multi-segment
/// sequence (<see cref="Slice"/>) or gathered into a small scratch buffer when a parser needs it
/// contiguous (<see cref="Peek"/>, <see cref="Contiguous"/>). Bytes are requested from the pipe only
/// as they are needed, one buffer at a time, so a lying length field can never make the reader hold
/// more than the data that really arrived.
/// <para>
/// A file opened by path takes a faster way to the same calls (<see cref="OverFile"/>): one pooled
/// array, refilled by large reads, whose unconsumed tail moves to its front before each refill. A
/// record then always lies in one segment, nothing is ever gathered, and no pipe bookkeeping runs per
/// read (bench/README.md, "Reading files": the pipe over a file cost 1.3–1.5× the CPU).
/// </para>
/// </summary>
internal sealed class InputBuffer : IDisposable, IAsyncDisposable
{
    private readonly PipeReader _reader;
    private readonly bool _completeReader;
    private ReadOnlySequence<byte> _buffer;     // what the pipe's last read returned
    private long _consumed;                     // bytes of _buffer consumed since then
    private long _length;                       // _buffer.Length - _consumed
    // The contiguous bytes at _consumed: an array slice (pipes over streams rent arrays), or memory.
    private byte[]? _firstArray;
    private int _firstStart, _firstLength;
    private ReadOnlyMemory<byte> _firstMemory;
    private long _origin;                       // stream offset of _buffer's start
    private bool _holding;                      // a read result is held: AdvanceTo is owed
    private readonly byte[] _peek = new byte[PeekLimit];
    private readonly Gathered _structure = new();
    private readonly Gathered _data = new();
    private readonly CallerPacedStream? _paced;
    private readonly FileInput? _file;

    /// <summary>Reads through <paramref name="reader"/>; completes it on dispose when <paramref name="completeReader"/>.</summary>
    public InputBuffer(PipeReader reader, bool completeReader) : this(reader, completeReader, paced: null) { }

    private InputBuffer(PipeReader reader, bool completeReader, CallerPacedStream? paced)
    {
        _reader = reader;
        _completeReader = completeReader;
        _paced = paced;
    }

    // File input never touches the pipe: ReadMore, ReleaseHeld and the pipe's completion are reached only
    // when _file is null (_holding stays false), so the reader field is left unset here.
    private InputBuffer(FileInput file)
    {
        _reader = null!;
        _file = file;
    }

    /// <summary>
    /// A reader over a file the caller opened by path (closed on dispose): one pooled array of
    /// <paramref name="bufferSize"/> bytes, grown only as a record that does not fit really arrives.
    /// </summary>
    public static InputBuffer OverFile(FileStream file, int bufferSize) => new(new FileInput(file, Math.Max(bufferSize, 4096)));

    /// <summary>A reader over <paramref name="stream"/> whose buffer segments are <paramref name="segmentSize"/> bytes (at least 4 KiB).</summary>
    public static InputBuffer Over(Stream stream, int segmentSize, bool leaveOpen)
    {
        var paced = new CallerPacedStream(stream, leaveOpen);
        var pipe = PipeReader.Create(paced, new StreamPipeReaderOptions(bufferSize: Math.Max(segmentSize, 4096)));
        return new InputBuffer(pipe, completeReader: true, paced);
    }

    /// <summary>True once the pipe has reported its end.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>Stream offset of the first unconsumed byte.</summary>
    public long Offset => _origin + _consumed;

    /// <summary>Number of buffered, unconsumed bytes.</summary>
    public int Length => _length > int.MaxValue ? int.MaxValue : (int)_length;

    /// <summary>Consumes <paramref name="count"/> buffered bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count)
    {
        _consumed += count;
        _length -= count;
        if (count < _firstLength && _firstArray is not null)
        {
            _firstStart += count;
            _firstLength -= count;
        }
        else AdvanceSlowly(count);
    }

    // Past the first segment, or within one that is not an array.
    private void AdvanceSlowly(int count)
    {
        if (count < _firstLength)
        {
            _firstStart += count;
            _firstLength -= count;
            _firstMemory = _firstMemory[count..];
        }
        else SetFirst(FirstAt(_consumed));
    }

    /// <summary>
    /// The <paramref name="count"/> bytes (at most <see cref="PeekLimit"/>) at <paramref name="offset"/> past the first
    /// unconsumed one (all buffered): a view of the pipe's buffer when they lie in one segment, else copied into the
    /// reader's peek scratch, valid until the next peek.
    /// </summary>
    /// <remarks>
    /// The scratch is the reader's own rather than the caller's stack: a <c>stackalloc</c> in a parser's per-record
    /// method made every record pay its zeroing and stack-cookie check for the rare header that straddles segments.
    /// </remarks>
    public ReadOnlySpan<byte> Peek(int offset, int count)
    {
        var first = First;
        if ((uint)offset + (uint)count <= (uint)first.Length) return first.Slice(offset, count);
        var destination = _peek.AsSpan(0, count);
        _buffer.Slice(_consumed + offset, count).CopyTo(destination);
        return destination;
    }

    /// <summary>The most bytes one <see cref="Peek"/> returns: the largest fixed header a parser reads that way (pcapng's 28-byte packet block start).</summary>
    public const int PeekLimit = 32;

    /// <summary>
    /// Like <see cref="Peek"/> for structures of any size (blocks, options, messages): bytes that
    /// straddle segments are gathered into the reader's structure scratch, valid until the next gather.
    /// </summary>
    public ReadOnlySpan<byte> Contiguous(int offset, int count)
    {
        var first = First;
        if ((uint)offset + (uint)count <= (uint)first.Length) return first.Slice(offset, count);
        return _structure.Gather(_buffer.Slice(_consumed + offset, count));
    }

    /// <summary>The unconsumed bytes of the first segment (all of them, for a file read by path).</summary>
    public ReadOnlySpan<byte> FirstSpan
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => First;
    }

    /// <summary>The bytes at <paramref name="offset"/> as a span when they lie in one segment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetSpan(int offset, int count, out ReadOnlySpan<byte> span)
    {
        var first = First;
        if ((uint)offset + (uint)count <= (uint)first.Length)
        {
            span = first.Slice(offset, count);
            return true;
        }
        span = default;
        return false;
    }

    /// <summary>The <paramref name="count"/> buffered bytes at <paramref name="offset"/>, in place.</summary>
    public ReadOnlySequence<byte> Slice(int offset, int count) => _buffer.Slice(_consumed + offset, count);

    /// <summary>A record's bytes made contiguous in the reader's data scratch (once per record), valid until the next read.</summary>
    public ReadOnlySpan<byte> Gather(ReadOnlySequence<byte> bytes) => _data.Gather(bytes);

    /// <summary>Reads until at least <paramref name="count"/> bytes are buffered; false if the data ends first.</summary>
    public bool Ensure(int count)
    {
        while (_length < count)
        {
            if (EndOfStream) return false;
            if (_file is not null)
            {
                AcceptFile(_file.Read(TakeUnconsumed(), count));
                continue;
            }
            ValueTask<ReadResult> read;
            if (_paced is null) read = ReadMore(CancellationToken.None);
            else
            {
                // The stream under our own pipe is read on this thread, so the read completes here.
                _paced.Synchronous = true;
                try { read = ReadMore(CancellationToken.None); }
                finally { _paced.Synchronous = false; }
            }
            // A caller's pipe may complete later: a synchronous caller waits for it.
            Accept(read.IsCompleted ? read.Result : read.AsTask().GetAwaiter().GetResult());
        }
        return true;
    }

    /// <summary>Asynchronous <see cref="Ensure"/>.</summary>
    public async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_length < count)
        {
            if (EndOfStream) return false;
            if (_file is not null)
            {
                AcceptFile(await _file.ReadAsync(TakeUnconsumed(), count, cancellationToken).ConfigureAwait(false));
                continue;
            }
            Accept(await ReadMore(cancellationToken).ConfigureAwait(false));
        }
        return true;
    }

    // File input: the unconsumed bytes (they move to the array's front) and the stream offset they start at.
    private int TakeUnconsumed()
    {
        _origin += _consumed;
        int unconsumed = (int)_length;
        _consumed = 0;
        return unconsumed;
    }

    private void AcceptFile(FileInput.Filled filled)
    {
        _buffer = new ReadOnlySequence<byte>(filled.Array, 0, filled.Length);
        _consumed = 0;
        _length = filled.Length;
        SetFirst(filled.Array.AsMemory(0, filled.Length));
        // The bytes moved: what was gathered (never needed here, records lie in one segment) is stale.
        _structure.Forget();
        _data.Forget();
        if (filled.Ended) EndOfStream = true;
    }

    private ValueTask<ReadResult> ReadMore(CancellationToken cancellationToken)
    {
        ReleaseHeld(examinedEverything: true);
        return _reader.ReadAsync(cancellationToken);
    }

    // Gives back what was consumed; the rest stays buffered and is returned again by the next read.
    private void ReleaseHeld(bool examinedEverything)
    {
        if (!_holding) return;
        var consumed = _buffer.GetPosition(_consumed);
        _reader.AdvanceTo(consumed, examinedEverything ? _buffer.End : consumed);
        _holding = false;
        _origin += _consumed;
        _buffer = default;
        _consumed = _length = 0;
        SetFirst(default);
        // The pipe may reuse the released segments: what was gathered from them is stale.
        _structure.Forget();
        _data.Forget();
    }

    private void Accept(ReadResult result)
    {
        if (result.IsCanceled)
            throw new OperationCanceledException("The read from the pipe was canceled (PipeReader.CancelPendingRead).");
        _buffer = result.Buffer;
        _holding = true;
        _consumed = 0;
        _length = _buffer.Length;
        SetFirst(FirstAt(0));
        if (result.IsCompleted) EndOfStream = true;
    }

    private ReadOnlySpan<byte> First
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _firstArray is not null ? new(_firstArray, _firstStart, _firstLength) : _firstMemory.Span;
    }

    private void SetFirst(ReadOnlyMemory<byte> first)
    {
        if (MemoryMarshal.TryGetArray(first, out var segment))
        {
            _firstArray = segment.Array;
            _firstStart = segment.Offset;
        }
        else _firstArray = null;
        _firstLength = first.Length;
        _firstMemory = first;
    }

    // The first non-empty segment at or after a position of _buffer (a slice may start at a segment's end).
    private ReadOnlyMemory<byte> FirstAt(long position)
    {
        if (position >= _buffer.Length) return default;
        foreach (var segment in _buffer.Slice(position))
            if (!segment.IsEmpty) return segment;
        return default;
    }

    public void Dispose()
    {
        if (_file is not null) _file.Dispose();
        else if (_completeReader) _reader.Complete();
        else ReleaseHeld(examinedEverything: false);
        _structure.Dispose();
        _data.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null) await _file.DisposeAsync().ConfigureAwait(false);
        else if (_completeReader) await _reader.CompleteAsync().ConfigureAwait(false);
        else ReleaseHeld(examinedEverything: false);
        _structure.Dispose();
        _data.Dispose();
    }

    /// <summary>A pooled scratch buffer holding the last bytes gathered, so the same bytes are copied once.</summary>
    private sealed class Gathered : IDisposable
    {
        private byte[] _bytes = [];
        private SequencePosition _start;
        private int _length = -1;

        public ReadOnlySpan<byte> Gather(ReadOnlySequence<byte> bytes)
        {
            int length = (int)bytes.Length;
            if (length == _length && bytes.Start.Equals(_start)) return _bytes.AsSpan(0, length);
            if (_bytes.Length < length)
            {
                if (_bytes.Length > 0) ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = ArrayPool<byte>.Shared.Rent(length);
            }
            bytes.CopyTo(_bytes);
            _start = bytes.Start;
            _length = length;
            return _bytes.AsSpan(0, length);
        }

        public void Forget() => _length = -1;

        public void Dispose()
        {
            var bytes = Interlocked.Exchange(ref _bytes, []);
            if (bytes.Length > 0) ArrayPool<byte>.Shared.Return(bytes);
            _length = -1;
        }
    }
}
