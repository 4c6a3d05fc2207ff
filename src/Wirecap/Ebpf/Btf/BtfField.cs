namespace Wirecap.Ebpf.Btf;

/// <summary>
/// A member found by a dot-separated path from a struct or union, with its position counted from the
/// start of that outer type, through any anonymous structs and unions in between.
/// </summary>
/// <param name="Path">The path asked for, e.g. <c>nd_net.net</c>.</param>
/// <param name="Type">The member's type.</param>
/// <param name="BitOffset">Bits from the start of the outer type.</param>
/// <param name="BitfieldSize">The width of a bitfield in bits; 0 for an ordinary member.</param>
public readonly record struct BtfField(string Path, BtfType Type, int BitOffset, int BitfieldSize)
{
    /// <summary>True for a bitfield.</summary>
    public bool IsBitfield => BitfieldSize != 0;

    /// <summary>Bytes from the start of the outer type.</summary>
    /// <exception cref="InvalidOperationException">A bitfield that does not start on a byte boundary.</exception>
    public int ByteOffset => BitOffset % 8 == 0 ? BitOffset / 8
        : throw new InvalidOperationException($"field '{Path}' is a bitfield at bit {BitOffset}, not on a byte boundary");

    /// <summary>The size of the member's type in bytes (for a bitfield, of the storage unit type).</summary>
    public int Size => Type.Size;
}

public readonly partial struct BtfType
{
    /// <summary>
    /// The member at <paramref name="path"/> (names separated by dots, each looked up in the type the
    /// previous one resolves to), searching anonymous struct and union members on the way, as C does:
    /// <c>sk_buff</c>'s <c>mac_header</c> lives in an anonymous <c>struct_group</c>.
    /// Pointers are not followed: a path stays within one object.
    /// </summary>
    /// <exception cref="BtfException">A name on the path is not a member, or the type before it is not a struct or union.</exception>
    public BtfField FindField(string path) =>
        TryFindField(path, out var field, out string? why) ? field : throw new BtfException(why!);

    /// <summary>Like <see cref="FindField"/>, returning false when the path does not exist.</summary>
    public bool TryFindField(string path, out BtfField field) => TryFindField(path, out field, out _);

    private bool TryFindField(string path, out BtfField field, out string? why)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var current = this;
        int bitOffset = 0;
        BtfMember found = default;
        foreach (var name in path.Split('.'))
        {
            var container = current.Resolve();
            if (container.Kind is not (BtfKind.Struct or BtfKind.Union))
            {
                field = default;
                why = $"{Types.Source}: '{path}' in {this}: {container} before '{name}' is not a struct or union";
                return false;
            }
            if (!FindMember(container, name, 0, out found, out int within))
            {
                field = default;
                why = $"{Types.Source}: {container} has no member '{name}' (looking up '{path}' in {this})";
                return false;
            }
            bitOffset += within;
            current = found.Type;
        }
        field = new BtfField(path, found.Type, bitOffset, found.BitfieldSize);
        why = null;
        return true;
    }

    /// <summary>Depth-first through anonymous members; <paramref name="bitOffset"/> is relative to <paramref name="container"/>.</summary>
    private static bool FindMember(BtfType container, string name, int depth, out BtfMember member, out int bitOffset)
    {
        if (depth > 32) throw new BtfException($"{container.Types.Source}: anonymous members nest deeper than 32 levels in {container}");
        foreach (var m in container.Members)
        {
            if (m.Name == name)
            {
                member = m;
                bitOffset = m.BitOffset;
                return true;
            }
        }
        foreach (var m in container.Members)
        {
            if (m.Name.Length != 0) continue;
            var inner = m.Type.Resolve();
            if (inner.Kind is not (BtfKind.Struct or BtfKind.Union)) continue;
            if (FindMember(inner, name, depth + 1, out member, out int within))
            {
                bitOffset = m.BitOffset + within;
                return true;
            }
        }
        member = default;
        bitOffset = 0;
        return false;
    }
}
