namespace Wirecap.Ebpf.Btf;

/// <summary>The kind of a BTF type record (<c>BTF_KIND_*</c> in the kernel's <c>include/uapi/linux/btf.h</c>).</summary>
public enum BtfKind : byte
{
    /// <summary>Type id 0: <c>void</c>. No record in the blob has this kind.</summary>
    Void = 0,
    /// <summary>An integer (<c>char</c>, <c>int</c>, <c>_Bool</c>...), with its size, bit count and signedness.</summary>
    Int = 1,
    /// <summary>A pointer to the referenced type.</summary>
    Pointer = 2,
    /// <summary>An array: element type, index type and element count.</summary>
    Array = 3,
    /// <summary>A <c>struct</c>, with members at bit offsets.</summary>
    Struct = 4,
    /// <summary>A <c>union</c>, with members (normally at offset 0).</summary>
    Union = 5,
    /// <summary>An <c>enum</c> with 32-bit values.</summary>
    Enum = 6,
    /// <summary>A forward declaration of a struct or union (the kind flag says which).</summary>
    Forward = 7,
    /// <summary>A <c>typedef</c> naming the referenced type.</summary>
    Typedef = 8,
    /// <summary>The <c>volatile</c> qualifier on the referenced type.</summary>
    Volatile = 9,
    /// <summary>The <c>const</c> qualifier on the referenced type.</summary>
    Const = 10,
    /// <summary>The <c>restrict</c> qualifier on the referenced type.</summary>
    Restrict = 11,
    /// <summary>A function: its name, linkage, and its <see cref="FunctionProto"/>.</summary>
    Function = 12,
    /// <summary>A function signature: return type and parameters.</summary>
    FunctionProto = 13,
    /// <summary>A global variable.</summary>
    Variable = 14,
    /// <summary>A data section listing variables with their offsets and sizes.</summary>
    DataSection = 15,
    /// <summary>A floating-point type.</summary>
    Float = 16,
    /// <summary>A declaration tag (<c>__attribute__((btf_decl_tag))</c>) on a type, member or parameter.</summary>
    DeclTag = 17,
    /// <summary>A type tag (<c>__attribute__((btf_type_tag))</c>, e.g. <c>__user</c>, <c>__rcu</c>) on a pointer target.</summary>
    TypeTag = 18,
    /// <summary>An <c>enum</c> with 64-bit values.</summary>
    Enum64 = 19,
}
