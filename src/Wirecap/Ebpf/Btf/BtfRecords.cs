namespace Wirecap.Ebpf.Btf;

/// <summary>A member of a struct or union: its name ("" when anonymous), type, and position in bits from the start of the enclosing type.</summary>
/// <param name="Name">The member's name, or "" for an anonymous struct or union member.</param>
/// <param name="Type">The member's type.</param>
/// <param name="BitOffset">Bits from the start of the enclosing struct or union.</param>
/// <param name="BitfieldSize">The width of a bitfield in bits; 0 for an ordinary member.</param>
public readonly record struct BtfMember(string Name, BtfType Type, int BitOffset, int BitfieldSize)
{
    /// <summary>True for a bitfield member.</summary>
    public bool IsBitfield => BitfieldSize != 0;
}

/// <summary>A parameter of a function prototype ("" when unnamed, as in a typedef's prototype).</summary>
/// <param name="Name">The parameter's name, or "".</param>
/// <param name="Type">Its type (id 0 in the last place means <c>...</c>).</param>
public readonly record struct BtfParameter(string Name, BtfType Type);

/// <summary>A named value of an enum.</summary>
/// <param name="Name">The enumerator, e.g. <c>SKB_DROP_REASON_NO_SOCKET</c>.</param>
/// <param name="Value">Its value.</param>
public readonly record struct BtfEnumValue(string Name, long Value);

/// <summary>An array's element type, index type and length.</summary>
/// <param name="Element">The element type.</param>
/// <param name="Index">The index type.</param>
/// <param name="Count">The number of elements (0 for a flexible array member).</param>
public readonly record struct BtfArray(BtfType Element, BtfType Index, int Count);

/// <summary>The extra word of an int record: encoding (signed, char, bool), bit offset and bit count.</summary>
public readonly struct BtfInt
{
    private readonly uint _word;

    internal BtfInt(uint word) => _word = word;

    /// <summary>Number of value bits.</summary>
    public int Bits => (int)(_word & 0xff);

    /// <summary>Bit offset of the value within the int (legacy bitfield encoding).</summary>
    public int Offset => (int)((_word >> 16) & 0xff);

    /// <summary>Signed integer.</summary>
    public bool IsSigned => (_word & (1u << 24)) != 0;

    /// <summary>A character type.</summary>
    public bool IsChar => (_word & (2u << 24)) != 0;

    /// <summary>A boolean.</summary>
    public bool IsBool => (_word & (4u << 24)) != 0;
}
