using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Ebpf.Btf;

/// <summary>
/// The types of one BTF blob, such as the running kernel's <c>/sys/kernel/btf/vmlinux</c>: every
/// record indexed by type id, and a name index for lookups. Parsing walks the type section once
/// (each kind's trailing records have a fixed size) and builds the index; everything else is read
/// from the blob on demand through <see cref="BtfType"/> views.
/// </summary>
/// <remarks>
/// Layout (kernel <c>Documentation/bpf/btf.rst</c>): a header (magic 0xEB9F, version 1, header
/// length, then offset and length of the type and string sections, both relative to the header's end),
/// a type section of <c>btf_type</c> records (name offset, info word with kind, kind flag and vlen,
/// size-or-type) each followed by its kind's records, and a string section of NUL-terminated names.
/// Type ids count from 1 in section order; id 0 is <c>void</c>. Split (module) BTF is not read.
/// </remarks>
public sealed partial class BtfTypes
{
    /// <summary>Where the running kernel publishes its own BTF.</summary>
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    private const ushort Magic = 0xEB9F;
    private const int HeaderMinimum = 24;
    internal const int RecordSize = 12;

    private static readonly Lazy<BtfTypes> s_vmlinux = new(() => Load(VmlinuxPath));

    private readonly byte[] _blob;
    private readonly bool _bigEndian;
    private readonly int _typesStart;
    private readonly int _typesEnd;
    private readonly int _stringsStart;
    private readonly int _stringsLength;
    private readonly int[] _records;
    private readonly BtfNameIndex _names;

    /// <summary>Where the blob came from (a path, or "BTF blob"), used in error messages.</summary>
    public string Source { get; }

    /// <summary>The number of type ids, counting id 0 (<c>void</c>): valid ids are 0 to Count − 1.</summary>
    public int Count => _records.Length;

    /// <summary>The running kernel's BTF, parsed once on first use.</summary>
    /// <exception cref="BtfException">The kernel publishes no BTF (<c>CONFIG_DEBUG_INFO_BTF</c> unset) or it is unreadable.</exception>
    public static BtfTypes Vmlinux => s_vmlinux.Value;

    /// <summary>Reads and parses a BTF file (a raw blob, as in <c>/sys/kernel/btf/</c>; not an ELF <c>.BTF</c> section).</summary>
    /// <exception cref="BtfException">The file is missing, unreadable or malformed.</exception>
    public static BtfTypes Load(string path)
    {
        byte[] blob;
        try
        {
            blob = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BtfException($"cannot read BTF from {path}: {e.Message}" +
                (path == VmlinuxPath ? " (the kernel needs CONFIG_DEBUG_INFO_BTF=y)" : ""), e);
        }
        return new BtfTypes(blob, path);
    }

    /// <summary>Parses a BTF blob held in memory; the array is kept, not copied.</summary>
    /// <exception cref="BtfException">The blob is malformed.</exception>
    public static BtfTypes Parse(byte[] blob, string source = "BTF blob") => new(blob, source);

    private BtfTypes(byte[] blob, string source)
    {
        ArgumentNullException.ThrowIfNull(blob);
        _blob = blob;
        Source = source;
        if (blob.Length < HeaderMinimum) throw Malformed(0, $"{blob.Length} bytes is shorter than a BTF header ({HeaderMinimum})");
        if (BinaryPrimitives.ReadUInt16LittleEndian(blob) == Magic) _bigEndian = false;
        else if (BinaryPrimitives.ReadUInt16BigEndian(blob) == Magic) _bigEndian = true;
        else throw Malformed(0, $"magic 0x{BinaryPrimitives.ReadUInt16LittleEndian(blob):x4} is not BTF's 0xeb9f");
        if (blob[2] != 1) throw Malformed(2, $"BTF version {blob[2]} is not supported (only 1)");
        uint headerLength = U32(4);
        if (headerLength < HeaderMinimum || headerLength > blob.Length) throw Malformed(4, $"header length {headerLength} is out of range");
        _typesStart = Section(8, headerLength, "type", out _typesEnd);
        _stringsStart = Section(16, headerLength, "string", out int stringsEnd);
        _stringsLength = stringsEnd - _stringsStart;
        if (_stringsLength == 0 || blob[stringsEnd - 1] != 0) throw Malformed(_stringsStart, "the string section does not end with a NUL");

        _records = IndexRecords(out int named);
        _names = new BtfNameIndex(this, named);
    }

    private int Section(int field, uint headerLength, string what, out int end)
    {
        ulong start = (ulong)headerLength + U32(field);
        ulong length = U32(field + 4);
        if (start + length > (ulong)_blob.Length)
            throw Malformed(field, $"the {what} section ({length} bytes at {start}) runs past the end of the blob ({_blob.Length} bytes)");
        end = (int)(start + length);
        return (int)start;
    }

    /// <summary>One pass over the type section: the offset of each record, by id.</summary>
    private int[] IndexRecords(out int named)
    {
        var offsets = new int[(_typesEnd - _typesStart) / RecordSize + 1];
        int count = 1;
        offsets[0] = -1;
        named = 0;
        int at = _typesStart;
        while (at < _typesEnd)
        {
            if (_typesEnd - at < RecordSize) throw Malformed(at, $"type {count} is cut off by the end of the type section");
            uint info = U32(at + 4);
            var kind = (BtfKind)((info >> 24) & 0x1f);
            int vlen = (int)(info & 0xffff);
            int trailing = kind switch
            {
                BtfKind.Int or BtfKind.Variable or BtfKind.DeclTag => 4,
                BtfKind.Array => 12,
                BtfKind.Struct or BtfKind.Union or BtfKind.DataSection or BtfKind.Enum64 => 12 * vlen,
                BtfKind.Enum or BtfKind.FunctionProto => 8 * vlen,
                BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                    or BtfKind.Restrict or BtfKind.Function or BtfKind.Float or BtfKind.TypeTag => 0,
                _ => throw Malformed(at, $"type {count} has unknown kind {(int)kind}"),
            };
            if (at + RecordSize + trailing > _typesEnd) throw Malformed(at, $"type {count} ({kind}, vlen {vlen}) runs past the end of the type section");
            if (U32(at) != 0) named++;
            offsets[count++] = at;
            at += RecordSize + trailing;
        }
        Array.Resize(ref offsets, count);
        return offsets;
    }

    /// <summary>The type with this id (0 is <c>void</c>).</summary>
    /// <exception cref="BtfException">No such id in this blob.</exception>
    public BtfType this[int id]
    {
        get
        {
            if ((uint)id >= (uint)_records.Length) throw new BtfException($"{Source}: type id {id} is out of range (the blob has ids 0 to {_records.Length - 1})");
            return new BtfType(this, id);
        }
    }

    /// <summary>Every type, in id order, starting with id 1.</summary>
    public IEnumerable<BtfType> All
    {
        get
        {
            for (int id = 1; id < _records.Length; id++) yield return new BtfType(this, id);
        }
    }

    /// <summary>Every type with this exact name, in id order (a struct and a typedef may share one).</summary>
    public IEnumerable<BtfType> FindAll(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var ids = new List<int>();
        _names.Collect(Encoding.UTF8.GetBytes(name), ids);
        foreach (int id in ids) yield return new BtfType(this, id);
    }

    /// <summary>Finds the first type of this kind and name.</summary>
    public bool TryFind(BtfKind kind, string name, out BtfType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        int id = _names.First(Encoding.UTF8.GetBytes(name), kind);
        type = id > 0 ? new BtfType(this, id) : default;
        return id > 0;
    }

    /// <summary>The first type of this kind and name.</summary>
    /// <exception cref="BtfException">There is none.</exception>
    public BtfType Find(BtfKind kind, string name) =>
        TryFind(kind, name, out var type) ? type : throw new BtfException($"{Source} has no {KindWord(kind)} named '{name}'");

    /// <summary>
    /// The member at <paramref name="path"/> (dot-separated, e.g. <c>nd_net.net</c>) of the struct or union
    /// named <paramref name="structName"/>, or of a typedef naming one (<c>possible_net_t</c>).
    /// </summary>
    /// <exception cref="BtfException">No such struct, or no such member.</exception>
    public BtfField FindField(string structName, string path)
    {
        if (!TryFind(BtfKind.Struct, structName, out var type) && !TryFind(BtfKind.Union, structName, out type)
            && !(TryFind(BtfKind.Typedef, structName, out type) && type.Resolve().Kind is BtfKind.Struct or BtfKind.Union))
            throw new BtfException($"{Source} has no struct or union named '{structName}'");
        return type.FindField(path);
    }

    internal static string KindWord(BtfKind kind) => kind switch
    {
        BtfKind.Struct => "struct",
        BtfKind.Union => "union",
        BtfKind.Enum or BtfKind.Enum64 => "enum",
        BtfKind.Typedef => "typedef",
        BtfKind.Function => "function",
        BtfKind.FunctionProto => "function prototype",
        BtfKind.Variable => "variable",
        _ => kind.ToString(),
    };

    // ---- raw access used by BtfType and the name index ----

    internal uint U32(int offset) => _bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(_blob.AsSpan(offset))
        : BinaryPrimitives.ReadUInt32LittleEndian(_blob.AsSpan(offset));

    internal int RecordOffset(int id) => _records[id];

    internal BtfException Malformed(int offset, string what) => new($"{Source}: malformed BTF at byte {offset}: {what}");

    /// <summary>The NUL-terminated name at <paramref name="nameOffset"/> in the string section, as bytes.</summary>
    internal ReadOnlySpan<byte> NameBytes(uint nameOffset)
    {
        if (nameOffset >= (uint)_stringsLength) throw Malformed(_stringsStart, $"name offset {nameOffset} is past the string section ({_stringsLength} bytes)");
        var rest = _blob.AsSpan(_stringsStart + (int)nameOffset, _stringsLength - (int)nameOffset);
        return rest[..rest.IndexOf((byte)0)];
    }

    internal string Name(uint nameOffset) => nameOffset == 0 ? "" : Encoding.UTF8.GetString(NameBytes(nameOffset));
}
