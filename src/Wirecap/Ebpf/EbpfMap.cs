using System.Buffers.Binary;
using Wirecap.Ebpf.Interop;

namespace Wirecap.Ebpf;

/// <summary>
/// A kernel eBPF map created with <c>BPF_MAP_CREATE</c>: a ring buffer (read it with <see cref="EbpfRingBuffer"/>),
/// an array or a per-CPU array (read and write elements with <see cref="Lookup"/> and <see cref="Update"/>).
/// Programs refer to it through <see cref="EbpfAssembler.LoadMap"/>; a loaded program keeps its maps alive, so
/// disposing the map only drops this process's descriptor.
/// </summary>
public sealed unsafe class EbpfMap : IDisposable
{
    private EbpfMap(EbpfObjectHandle handle, EbpfMapType type, int keySize, int valueSize, int maxEntries, string name)
    {
        Handle = handle;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Name = name;
    }

    /// <summary>The map's descriptor.</summary>
    public EbpfObjectHandle Handle { get; }

    /// <summary>The map type.</summary>
    public EbpfMapType Type { get; }

    /// <summary>Key size in bytes (0 for a ring buffer).</summary>
    public int KeySize { get; }

    /// <summary>Value size in bytes of one element (of one CPU's copy for a per-CPU map; 0 for a ring buffer).</summary>
    public int ValueSize { get; }

    /// <summary>Number of elements, or the data size in bytes of a ring buffer.</summary>
    public int MaxEntries { get; }

    /// <summary>The name given at creation (what <c>bpftool map</c> shows, at most 15 characters).</summary>
    public string Name { get; }

    /// <summary>Creates a ring buffer of <paramref name="size"/> bytes: a power of two and a multiple of the page size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a power-of-two multiple of the page size.</exception>
    /// <exception cref="EbpfException">The kernel refused (no ring buffer before 5.8, no privilege, no memory).</exception>
    public static EbpfMap CreateRingBuffer(int size, string name = "wirecap_ring")
    {
        int page = Environment.SystemPageSize;
        if (size < page || (size & (size - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"a ring buffer's size is a power of two of at least one page ({page} bytes)");
        return Create(EbpfMapType.RingBuffer, 0, 0, size, name);
    }

    /// <summary>Creates an array of <paramref name="entries"/> elements of <paramref name="valueSize"/> bytes, keyed by a u32 index, all zero.</summary>
    public static EbpfMap CreateArray(int valueSize, int entries, string name = "wirecap_array") =>
        Create(EbpfMapType.Array, 4, valueSize, entries, name);

    /// <summary>Creates a per-CPU array: each CPU has its own copy of every element (for counters updated without atomics).</summary>
    public static EbpfMap CreatePerCpuArray(int valueSize, int entries, string name = "wirecap_percpu") =>
        Create(EbpfMapType.PerCpuArray, 4, valueSize, entries, name);

    /// <summary>Creates a map of any type with the given geometry.</summary>
    /// <exception cref="EbpfException">The kernel refused; the message names the map.</exception>
    public static EbpfMap Create(EbpfMapType type, int keySize, int valueSize, int maxEntries, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keySize);
        ArgumentOutOfRangeException.ThrowIfNegative(valueSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        var attr = new MapCreateAttr { MapType = (uint)type, KeySize = (uint)keySize, ValueSize = (uint)valueSize, MaxEntries = (uint)maxEntries };
        BpfSyscall.CopyName(name, attr.Name);
        int fd = BpfSyscall.Invoke(BpfCommand.MapCreate, ref attr, $"{type} map '{name}' ({maxEntries} entries)");
        return new EbpfMap(new EbpfObjectHandle(fd), type, keySize, valueSize, maxEntries, name);
    }

    /// <summary>The number of CPUs the kernel may ever bring up (<c>/sys/devices/system/cpu/possible</c>): the
    /// number of copies a per-CPU map holds, which may exceed the online count.</summary>
    public static int PossibleCpuCount => s_possibleCpus.Value;

    private static readonly Lazy<int> s_possibleCpus = new(ReadPossibleCpus);

    /// <summary>Bytes of one element as <see cref="Lookup"/> returns it: <see cref="ValueSize"/>, or for a per-CPU
    /// map one 8-byte-aligned copy per possible CPU.</summary>
    public int ElementBufferSize => Type == EbpfMapType.PerCpuArray ? ((ValueSize + 7) & ~7) * PossibleCpuCount : ValueSize;

    /// <summary>Copies the element at <paramref name="index"/> into <paramref name="value"/> (at least <see cref="ElementBufferSize"/> bytes).</summary>
    /// <exception cref="EbpfException">No element at that index.</exception>
    public void Lookup(uint index, Span<byte> value)
    {
        CheckElement(value.Length);
        fixed (byte* v = value)
        {
            var attr = new MapElementAttr { MapFd = (uint)Handle.Descriptor, Key = BpfSyscall.Address(&index), Value = BpfSyscall.Address(v) };
            BpfSyscall.Invoke(BpfCommand.MapLookupElement, ref attr, $"map '{Name}' index {index}");
        }
    }

    /// <summary>Writes <paramref name="value"/> (at least <see cref="ElementBufferSize"/> bytes) to the element at <paramref name="index"/>.</summary>
    public void Update(uint index, ReadOnlySpan<byte> value)
    {
        CheckElement(value.Length);
        fixed (byte* v = value)
        {
            var attr = new MapElementAttr { MapFd = (uint)Handle.Descriptor, Key = BpfSyscall.Address(&index), Value = BpfSyscall.Address(v) };
            BpfSyscall.Invoke(BpfCommand.MapUpdateElement, ref attr, $"map '{Name}' index {index}");
        }
    }

    /// <summary>The sum over all CPUs of the u64 at byte <paramref name="offset"/> of element <paramref name="index"/>
    /// (for a plain array, that u64 itself): how per-CPU counters are read.</summary>
    public ulong SumCounter(uint index, int offset = 0)
    {
        if (offset < 0 || offset + 8 > ValueSize) throw new ArgumentOutOfRangeException(nameof(offset), offset, $"a u64 counter inside the {ValueSize}-byte value");
        Span<byte> buffer = ElementBufferSize <= 1024 ? stackalloc byte[ElementBufferSize] : new byte[ElementBufferSize];
        Lookup(index, buffer);
        if (Type != EbpfMapType.PerCpuArray) return BinaryPrimitives.ReadUInt64LittleEndian(buffer[offset..]);
        int stride = (ValueSize + 7) & ~7;
        ulong sum = 0;
        for (int cpu = 0; cpu < PossibleCpuCount; cpu++)
            sum += BinaryPrimitives.ReadUInt64LittleEndian(buffer[(cpu * stride + offset)..]);
        return sum;
    }

    /// <summary>The map's kernel-wide id (what <c>bpftool map show</c> lists).</summary>
    public uint Id => EbpfObjectInfo.IdOf(Handle, $"map '{Name}'");

    /// <summary>Closes this process's descriptor.</summary>
    public void Dispose() => Handle.Dispose();

    private void CheckElement(int length)
    {
        if (Type == EbpfMapType.RingBuffer) throw new InvalidOperationException($"map '{Name}' is a ring buffer: read it with EbpfRingBuffer, it has no elements");
        if (length < ElementBufferSize)
            throw new ArgumentException($"map '{Name}' elements take {ElementBufferSize} bytes; the buffer has {length}");
    }

    private static int ReadPossibleCpus()
    {
        // Format: "0-3" or "0,2-5"; the count is the highest CPU number + 1.
        try
        {
            var text = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
            int max = 0;
            foreach (var part in text.Split(','))
            {
                var last = part.Split('-')[^1];
                max = Math.Max(max, int.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
            }
            return max + 1;
        }
        catch (IOException)
        {
            return Environment.ProcessorCount;
        }
    }
}
