using System.Buffers;

namespace Wirecap.Formats;

/// <summary>
/// The file behind <see cref="InputBuffer.OverFile"/>: one pooled array that holds the unconsumed
/// tail of the last read at its front, followed by as much of the file as one read returns. The array
/// grows (doubling) only when a structure larger than it is being read and its bytes keep arriving, so
/// a lying length field costs at most twice the bytes the file really has.
/// </summary>
internal sealed class FileInput : IDisposable, IAsyncDisposable
{
    private readonly FileStream _file;
    private byte[] _array;
    private int _filled;   // bytes of _array holding file data; the unconsumed ones end here

    public FileInput(FileStream file, int bufferSize)
    {
        _file = file;
        _array = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>What a refill left in the array: its first <see cref="Length"/> bytes are unconsumed data.</summary>
    public readonly record struct Filled(byte[] Array, int Length, bool Ended);

    /// <summary>
    /// Keeps the last <paramref name="unconsumed"/> bytes (moved to the front) and reads once more,
    /// with room for at least <paramref name="wanted"/> bytes in all.
    /// </summary>
    public Filled Read(int unconsumed, int wanted)
    {
        int free = MakeRoom(unconsumed, wanted);
        int read = _file.Read(_array, unconsumed, free);
        return Done(unconsumed, read);
    }

    /// <inheritdoc cref="Read"/>
    public async ValueTask<Filled> ReadAsync(int unconsumed, int wanted, CancellationToken cancellationToken)
    {
        int free = MakeRoom(unconsumed, wanted);
        int read = await _file.ReadAsync(_array.AsMemory(unconsumed, free), cancellationToken).ConfigureAwait(false);
        return Done(unconsumed, read);
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
        return new Filled(_array, _filled, Ended: read == 0);
    }

    public void Dispose()
    {
        _file.Dispose();
        ReturnArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        ReturnArray();
    }

    private void ReturnArray()
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
    }
}
