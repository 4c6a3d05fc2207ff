using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary>Called with one ring-buffer record, a span over the mapped ring itself (valid only during the call).</summary>
public delegate void EbpfRingRecordHandler(ReadOnlySpan<byte> record);

/// <summary>
/// Reads the records a program submits to a <see cref="EbpfMapType.RingBuffer"/> map in place, from the ring mapped
/// into this process: no system call and no copy per record. The consumer position page is mapped read-write, the
/// producer position and the data area read-only, with the data area mapped twice in a row so that a record that
/// wraps around the end is still contiguous. One thread reads at a time.
/// </summary>
/// <remarks>Each record has an 8-byte header: a u32 length with bit 31 set while the producer still writes it (busy)
/// and bit 30 set when it discarded it, then a u32 page offset. Records start at 8-byte boundaries. The kernel may
/// reuse a record's bytes only after <see cref="Release"/> moves the consumer position past it.</remarks>
public sealed unsafe class EbpfRingBuffer : IDisposable
{
    private const uint BusyBit = 1u << 31;
    private const uint DiscardBit = 1u << 30;
    private const int HeaderSize = 8;

    private readonly EbpfMap _map;
    private readonly MappedMemoryHandle _consumerPage;
    private readonly MappedMemoryHandle _producerAndData;
    private readonly ulong* _consumer;
    private readonly ulong* _producer;
    private readonly byte* _data;
    private readonly ulong _mask;
    private ulong _position;
    private ulong _next;
    private bool _holding;

    private EbpfRingBuffer(EbpfMap map)
    {
        _map = map;
        int page = Environment.SystemPageSize;
        nuint size = (nuint)map.MaxEntries;
        string subject = $"ring buffer '{map.Name}'";
        _consumerPage = MappedMemoryHandle.Map(map.Handle, (nuint)page, EbpfLibc.ProtRead | EbpfLibc.ProtWrite, 0, subject);
        try
        {
            _producerAndData = MappedMemoryHandle.Map(map.Handle, (nuint)page + 2 * size, EbpfLibc.ProtRead, page, subject);
        }
        catch
        {
            _consumerPage.Dispose();
            throw;
        }
        _consumer = (ulong*)_consumerPage.Pointer;
        _producer = (ulong*)_producerAndData.Pointer;
        _data = _producerAndData.Pointer + page;
        _mask = size - 1;
        _position = Volatile.Read(ref *_consumer);
    }

    /// <summary>Maps <paramref name="map"/>, which must be a ring buffer, for reading. The map stays owned by the caller.</summary>
    /// <exception cref="ArgumentException">The map is not a ring buffer.</exception>
    /// <exception cref="EbpfException">mmap failed.</exception>
    public static EbpfRingBuffer Open(EbpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Type != EbpfMapType.RingBuffer) throw new ArgumentException($"map '{map.Name}' is a {map.Type}, not a ring buffer", nameof(map));
        return new EbpfRingBuffer(map);
    }

    /// <summary>Size of the data area in bytes.</summary>
    public int Size => _map.MaxEntries;

    /// <summary>Bytes submitted (or still being written) and not yet consumed.</summary>
    public long PendingBytes => (long)(Volatile.Read(ref *_producer) - _position);

    /// <summary>Gets the next submitted record, skipping discarded ones. The span points into the ring and stays
    /// valid until <see cref="Release"/>, which must be called before the next <see cref="TryRead"/>.</summary>
    /// <returns>False when no complete record is waiting.</returns>
    public bool TryRead(out ReadOnlySpan<byte> record)
    {
        if (_holding) throw new InvalidOperationException("the previous ring-buffer record is still held: call Release first");
        while (true)
        {
            ulong producer = Volatile.Read(ref *_producer);
            if (_position >= producer)
            {
                record = default;
                return false;
            }
            byte* header = _data + (_position & _mask);
            uint length = Volatile.Read(ref *(uint*)header);
            if ((length & BusyBit) != 0)
            {
                record = default;
                return false;
            }
            uint payload = length & ~(BusyBit | DiscardBit);
            ulong total = (payload + HeaderSize + 7) & ~7u;
            if ((length & DiscardBit) != 0)
            {
                _position += total;
                Volatile.Write(ref *_consumer, _position);
                continue;
            }
            record = new ReadOnlySpan<byte>(header + HeaderSize, (int)payload);
            _next = _position + total;
            _holding = true;
            return true;
        }
    }

    /// <summary>Gives the record returned by <see cref="TryRead"/> back to the kernel.</summary>
    public void Release()
    {
        if (!_holding) return;
        _holding = false;
        _position = _next;
        Volatile.Write(ref *_consumer, _position);
    }

    /// <summary>Hands every waiting record (at most <paramref name="maxRecords"/>) to <paramref name="handler"/>,
    /// releasing each after the call returns; returns how many it handled.</summary>
    public int Drain(EbpfRingRecordHandler handler, int maxRecords = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(handler);
        int count = 0;
        while (count < maxRecords && TryRead(out var record))
        {
            try
            {
                handler(record);
            }
            finally
            {
                Release();
            }
            count++;
        }
        return count;
    }

    /// <summary>Blocks in <c>poll</c> until a record is waiting or <paramref name="timeoutMs"/> passes (-1: no limit).</summary>
    /// <returns>True when data is waiting.</returns>
    public bool WaitForData(int timeoutMs)
    {
        if (PendingBytes > 0) return true;
        bool added = false;
        try
        {
            _map.Handle.DangerousAddRef(ref added);
            var fd = new EbpfLibc.PollFd { Fd = _map.Handle.Descriptor, Events = EbpfLibc.PollIn };
            int n = EbpfLibc.Poll(&fd, 1, timeoutMs);
            if (n < 0)
            {
                int errno = BpfErrors.Last;
                if (errno == BpfErrors.EINTR) return PendingBytes > 0;
                throw BpfErrors.ToException("poll", errno, $"ring buffer '{_map.Name}'");
            }
            return n > 0 || PendingBytes > 0;
        }
        finally
        {
            if (added) _map.Handle.DangerousRelease();
        }
    }

    /// <summary>Unmaps the ring (the map itself stays open).</summary>
    public void Dispose()
    {
        _holding = false;
        _producerAndData.Dispose();
        _consumerPage.Dispose();
    }
}
