using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Wirecap.Formats;

/// <summary>
/// The file behind <see cref="InputBuffer.OverFile"/>. A file larger than one buffer is mapped into memory, in
/// windows of 1 MiB (what the read buffer takes), as long as it was when opened: records are parsed in the page cache itself, which spares
/// the kernel's copy into a buffer (a third of the CPU of a filtered copy: bench/README.md, "Issue 13"). Whatever
/// lies beyond that length (a file still being written) and every smaller or unmappable file is read into one
/// pooled array that holds the unconsumed tail of the last read at its front, followed by as much of the file as
/// one read returns. The array grows (doubling) only when a structure larger than it is being read and its bytes
/// keep arriving, so a lying length field costs at most twice the bytes the file really has.
/// </summary>
/// <remarks>A mapped file truncated by another process while it is read ends this one with SIGBUS, as it would any
/// program that maps files; files are mapped only when opened by path, never standard input or a stream.</remarks>
internal sealed class FileInput : IDisposable, IAsyncDisposable
{
    /// <summary>The most bytes mapped at once: what the process holds of the file (its resident pages).</summary>
    public const long DefaultWindowBytes = 1L << 20;

    private readonly long _windowBytes;

    private readonly FileStream _file;
    private readonly int _bufferSize;
    private byte[] _array = [];
    private int _filled;   // bytes of _array holding file data; the unconsumed ones end here

    private MemoryMappedFile? _map;
    private readonly long _mappedLength;  // the file's length when opened: what windows cover
    private MemoryMappedViewAccessor? _view;
    private Window? _window;
    private long _windowOffset;           // file offset of the current window's first byte

    public FileInput(FileStream file, int bufferSize, long windowBytes = DefaultWindowBytes)
    {
        _file = file;
        _bufferSize = bufferSize;
        _windowBytes = windowBytes;
        _mappedLength = file.CanSeek ? file.Length : 0;
        if (_mappedLength > bufferSize)
        {
            try { _map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { _map = null; } // read it instead
        }
        if (_map is null) _array = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>What a refill left in memory: <see cref="Memory"/> is the unconsumed data (an array's front, or a mapped window).</summary>
    public readonly record struct Filled(ReadOnlyMemory<byte> Memory, bool Ended);

    /// <summary>
    /// Keeps the last <paramref name="unconsumed"/> bytes (moved to the front) and reads once more,
    /// with room for at least <paramref name="wanted"/> bytes in all.
    /// </summary>
    public Filled Read(int unconsumed, int wanted)
    {
        if (_map is not null && TryMapNext(unconsumed, wanted, out var mapped)) return mapped;
        int free = MakeRoom(unconsumed, wanted);
        int read = _file.Read(_array, unconsumed, free);
        return Done(unconsumed, read);
    }

    /// <inheritdoc cref="Read"/>
    public async ValueTask<Filled> ReadAsync(int unconsumed, int wanted, CancellationToken cancellationToken)
    {
        if (_map is not null && TryMapNext(unconsumed, wanted, out var mapped)) return mapped;
        int free = MakeRoom(unconsumed, wanted);
        int read = await _file.ReadAsync(_array.AsMemory(unconsumed, free), cancellationToken).ConfigureAwait(false);
        return Done(unconsumed, read);
    }

    // The next window, starting at the first unconsumed byte; false once the mapped length is used up, after
    // moving the unconsumed tail into the array and the file's position to that length, where reads go on.
    private unsafe bool TryMapNext(int unconsumed, int wanted, out Filled filled)
    {
        long windowEnd = _windowOffset + (_window?.Length ?? 0);
        long start = windowEnd - unconsumed;
        long end = Math.Min(_mappedLength, start + Math.Max(_windowBytes, wanted));
        if (end > windowEnd)
        {
            var view = _map!.CreateViewAccessor(start, end - start, MemoryMappedFileAccess.Read);
            ReleaseView();
            _view = view;
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _window = new Window(pointer + view.PointerOffset, (int)(end - start));
            _windowOffset = start;
            filled = new Filled(_window.Memory, Ended: false);
            return true;
        }
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(_bufferSize, unconsumed));
        _window?.GetSpan()[^unconsumed..].CopyTo(_array);
        _filled = unconsumed;
        ReleaseView();
        _map!.Dispose();
        _map = null;
        _file.Position = _mappedLength;
        filled = default;
        return false;
    }

    private int MakeRoom(int unconsumed, int wanted)
    {
        if (unconsumed > 0 && _filled != unconsumed)
            Buffer.BlockCopy(_array, _filled - unconsumed, _array, 0, unconsumed);
        if (wanted > _array.Length && unconsumed == _array.Length)
        {
            // The array is full of one structure still arriving: double it (never straight to a claimed length).
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_array.Length * 2, Array.MaxLength));
            Buffer.BlockCopy(_array, 0, larger, 0, unconsumed);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }
        _filled = unconsumed;
        return _array.Length - unconsumed;
    }

    private Filled Done(int unconsumed, int read)
    {
        _filled = unconsumed + read;
        return new Filled(_array.AsMemory(0, _filled), Ended: read == 0);
    }

    public void Dispose()
    {
        _file.Dispose();
        Release();
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        Release();
    }

    private void Release()
    {
        ReleaseView();
        _map?.Dispose();
        _map = null;
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
    }

    private void ReleaseView()
    {
        if (_view is null) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _view = null;
        _window = null;
    }

    /// <summary>A mapped window as memory; <see cref="InputBuffer"/> reads it through <see cref="Pointer"/>.</summary>
    internal sealed unsafe class Window(byte* pointer, int length) : MemoryManager<byte>
    {
        public byte* Pointer => pointer;
        public int Length => length;
        public override Span<byte> GetSpan() => new(pointer, length);
        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }
}
