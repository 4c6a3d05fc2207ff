namespace Wirecap.Ebpf.Btf;

/// <summary>
/// A view of one BTF type record: its kind, name, size or referenced type, and the records that
/// follow it (members, parameters, enum values, array bounds). Reads the blob on each access.
/// </summary>
public readonly partial struct BtfType : IEquatable<BtfType>
{
    private readonly BtfTypes? _types;

    internal BtfType(BtfTypes types, int id)
    {
        _types = types;
        Id = id;
    }

    /// <summary>The blob this type belongs to.</summary>
    public BtfTypes Types => _types ?? throw new InvalidOperationException("default(BtfType) belongs to no BTF blob");

    /// <summary>The type id (0 is <c>void</c>).</summary>
    public int Id { get; }

    private int Record => Types.RecordOffset(Id);
    private uint Info => Id == 0 ? 0 : Types.U32(Record + 4);
    private uint SizeOrType => Id == 0 ? 0 : Types.U32(Record + 8);

    /// <summary>The kind of record.</summary>
    public BtfKind Kind => (BtfKind)((Info >> 24) & 0x1f);

    /// <summary>The kind flag: bitfield offsets in a struct's members, union for a forward declaration, signedness of an enum.</summary>
    public bool KindFlag => (Info & 0x8000_0000) != 0;

    /// <summary>The vlen field: the number of members, parameters, values or variables (for a function, its linkage).</summary>
    public int Vlen => (int)(Info & 0xffff);

    /// <summary>The name, or "" for an anonymous type.</summary>
    public string Name => Id == 0 ? "void" : Types.Name(Types.U32(Record));

    /// <summary>True when the record has no name (anonymous struct, pointer, qualifier, prototype...).</summary>
    public bool IsAnonymous => Id == 0 || Types.U32(Record) == 0;

    /// <summary>The size in bytes of an int, float, struct, union, enum or data section; for other kinds the size of what they resolve to.</summary>
    public int Size => Kind switch
    {
        BtfKind.Int or BtfKind.Float or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.DataSection => (int)SizeOrType,
        BtfKind.Pointer => 8,
        BtfKind.Array => Array.Count * Array.Element.Size,
        BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag => Referenced.Size,
        _ => 0,
    };

    /// <summary>What a pointer, typedef, qualifier, tag, function or variable refers to; a prototype's return type.</summary>
    /// <exception cref="InvalidOperationException">The kind refers to nothing (int, struct, enum...).</exception>
    public BtfType Referenced => Kind switch
    {
        BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Function
            or BtfKind.FunctionProto or BtfKind.Variable or BtfKind.DeclTag or BtfKind.TypeTag => Types[(int)SizeOrType],
        _ => throw new InvalidOperationException($"{Describe()} refers to no other type"),
    };

    /// <summary>This type with const, volatile, restrict and type tags removed.</summary>
    public BtfType WithoutQualifiers()
    {
        var t = this;
        for (int guard = 0; t.Kind is BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag; guard++)
        {
            if (guard > 64) throw new BtfException($"{Types.Source}: type {Id} has a qualifier cycle");
            t = t.Referenced;
        }
        return t;
    }

    /// <summary>This type with qualifiers and typedefs removed: what the C compiler sees underneath.</summary>
    public BtfType Resolve()
    {
        var t = this;
        for (int guard = 0; t.Kind is BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag or BtfKind.Typedef; guard++)
        {
            if (guard > 64) throw new BtfException($"{Types.Source}: type {Id} has a typedef cycle");
            t = t.Referenced;
        }
        return t;
    }

    /// <summary>True for a pointer (through qualifiers and typedefs) to a struct named <paramref name="structName"/>, as <c>struct sk_buff *</c>.</summary>
    public bool IsPointerToStruct(string structName)
    {
        var t = Resolve();
        if (t.Kind != BtfKind.Pointer) return false;
        var target = t.Referenced.WithoutQualifiers();
        return target.Kind is BtfKind.Struct or BtfKind.Forward && target.Name == structName;
    }

    /// <summary>An int's bit count, bit offset and encoding.</summary>
    public BtfInt Int => Kind == BtfKind.Int ? new BtfInt(Types.U32(Record + BtfTypes.RecordSize)) : throw NotA("an int");

    /// <summary>An array's element type, index type and element count.</summary>
    public BtfArray Array => Kind == BtfKind.Array
        ? new BtfArray(Types[(int)Types.U32(Record + 12)], Types[(int)Types.U32(Record + 16)], (int)Types.U32(Record + 20))
        : throw NotA("an array");

    /// <summary>The members of a struct or union, with bit offsets and bitfield sizes.</summary>
    public IReadOnlyList<BtfMember> Members
    {
        get
        {
            if (Kind is not (BtfKind.Struct or BtfKind.Union)) throw NotA("a struct or union");
            var members = new BtfMember[Vlen];
            bool bitfields = KindFlag;
            for (int i = 0; i < members.Length; i++)
            {
                int at = Record + BtfTypes.RecordSize + 12 * i;
                uint offset = Types.U32(at + 8);
                var type = Types[(int)Types.U32(at + 4)];
                members[i] = bitfields
                    ? new BtfMember(Types.Name(Types.U32(at)), type, (int)(offset & 0xff_ffff), (int)(offset >> 24))
                    : LegacyBitfield(Types.Name(Types.U32(at)), type, (int)offset);
            }
            return members;
        }
    }

    /// <summary>Without the kind flag, a bitfield is an int member whose int record has fewer bits than its size.</summary>
    private static BtfMember LegacyBitfield(string name, BtfType type, int bitOffset)
    {
        var resolved = type.Resolve();
        if (resolved.Kind == BtfKind.Int)
        {
            var i = resolved.Int;
            if (i.Bits != resolved.Size * 8 || i.Offset != 0) return new BtfMember(name, type, bitOffset + i.Offset, i.Bits);
        }
        return new BtfMember(name, type, bitOffset, 0);
    }

    /// <summary>The parameters of a function prototype, or of a function (through its prototype).</summary>
    public IReadOnlyList<BtfParameter> Parameters
    {
        get
        {
            if (Kind == BtfKind.Function) return Referenced.Parameters;
            if (Kind != BtfKind.FunctionProto) throw NotA("a function or function prototype");
            var parameters = new BtfParameter[Vlen];
            for (int i = 0; i < parameters.Length; i++)
            {
                int at = Record + BtfTypes.RecordSize + 8 * i;
                parameters[i] = new BtfParameter(Types.Name(Types.U32(at)), Types[(int)Types.U32(at + 4)]);
            }
            return parameters;
        }
    }

    /// <summary>The values of an enum (32- or 64-bit), signed when the kind flag says so.</summary>
    public IReadOnlyList<BtfEnumValue> EnumValues
    {
        get
        {
            var values = new BtfEnumValue[Vlen];
            bool signed = KindFlag;
            for (int i = 0; i < values.Length; i++)
            {
                if (Kind == BtfKind.Enum)
                {
                    int at = Record + BtfTypes.RecordSize + 8 * i;
                    uint raw = Types.U32(at + 4);
                    values[i] = new BtfEnumValue(Types.Name(Types.U32(at)), signed ? (int)raw : raw);
                }
                else if (Kind == BtfKind.Enum64)
                {
                    int at = Record + BtfTypes.RecordSize + 12 * i;
                    ulong raw = Types.U32(at + 4) | ((ulong)Types.U32(at + 8) << 32);
                    values[i] = new BtfEnumValue(Types.Name(Types.U32(at)), (long)raw);
                }
                else throw NotA("an enum");
            }
            return values;
        }
    }

    /// <summary>C-like spelling for messages and listings: <c>struct sk_buff *</c>, <c>const char *</c>, <c>u32</c>.</summary>
    public override string ToString() => BtfTypeNames.Spell(this);

    /// <summary>"type 873 (struct sk_buff) in /sys/kernel/btf/vmlinux".</summary>
    internal string Describe() => $"type {Id} ({this}) in {Types.Source}";

    private InvalidOperationException NotA(string what) => new($"{Describe()} is not {what}");

    /// <inheritdoc/>
    public bool Equals(BtfType other) => ReferenceEquals(_types, other._types) && Id == other.Id;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BtfType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Id;

    /// <summary>Same blob and same id.</summary>
    public static bool operator ==(BtfType left, BtfType right) => left.Equals(right);

    /// <summary>Different blob or id.</summary>
    public static bool operator !=(BtfType left, BtfType right) => !left.Equals(right);
}
