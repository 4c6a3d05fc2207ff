using System.Text;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Tests.Ebpf.Btf;

/// <summary>
/// Renders types the way <c>bpftool btf dump</c> prints them in its raw format, so a whole dump can
/// be compared line by line. Kinds whose extra fields the reader does not expose (VAR linkage,
/// DATASEC entries, DECL_TAG component) render only their id, kind and name; <see cref="Comparable"/>
/// cuts bpftool's lines the same way.
/// </summary>
internal static class BpftoolRawFormat
{
    public static void Append(StringBuilder text, BtfType t)
    {
        text.Append('[').Append(t.Id).Append("] ").Append(KindName(t.Kind)).Append(" '").Append(t.IsAnonymous ? "(anon)" : t.Name).Append('\'');
        switch (t.Kind)
        {
            case BtfKind.Int:
                var i = t.Int;
                text.Append($" size={t.Size} bits_offset={i.Offset} nr_bits={i.Bits} encoding={(i.IsSigned ? "SIGNED" : i.IsChar ? "CHAR" : i.IsBool ? "BOOL" : "(none)")}");
                break;
            case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                text.Append(" type_id=").Append(t.Referenced.Id);
                break;
            case BtfKind.Array:
                text.Append($" type_id={t.Array.Element.Id} index_type_id={t.Array.Index.Id} nr_elems={t.Array.Count}");
                break;
            case BtfKind.Struct or BtfKind.Union:
                text.Append($" size={t.Size} vlen={t.Vlen}");
                foreach (var m in t.Members)
                {
                    text.Append($"\n\t'{(m.Name.Length == 0 ? "(anon)" : m.Name)}' type_id={m.Type.Id} bits_offset={m.BitOffset}");
                    if (m.IsBitfield) text.Append(" bitfield_size=").Append(m.BitfieldSize);
                }
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                bool signed = t.KindFlag;
                text.Append($" encoding={(signed ? "SIGNED" : "UNSIGNED")} size={t.Size} vlen={t.Vlen}");
                foreach (var v in t.EnumValues)
                {
                    string value = t.Kind == BtfKind.Enum ? v.Value.ToString() : signed ? $"{v.Value}LL" : $"{(ulong)v.Value}ULL";
                    text.Append($"\n\t'{v.Name}' val={value}");
                }
                break;
            case BtfKind.Forward:
                text.Append(" fwd_kind=").Append(t.KindFlag ? "union" : "struct");
                break;
            case BtfKind.Function:
                text.Append(" type_id=").Append(t.Referenced.Id).Append(" linkage=").Append(t.Vlen switch { 0 => "static", 1 => "global", 2 => "extern", _ => "(unknown)" });
                break;
            case BtfKind.FunctionProto:
                text.Append($" ret_type_id={t.Referenced.Id} vlen={t.Vlen}");
                foreach (var p in t.Parameters)
                    text.Append($"\n\t'{(p.Name.Length == 0 ? "(anon)" : p.Name)}' type_id={p.Type.Id}");
                break;
            case BtfKind.Float:
                text.Append(" size=").Append(t.Size);
                break;
        }
        text.Append('\n');
    }

    /// <summary>bpftool's dump with VAR, DATASEC and DECL_TAG lines cut to id, kind and name.</summary>
    public static string Comparable(string dump)
    {
        var text = new StringBuilder(dump.Length);
        bool skipMembers = false;
        foreach (var line in dump.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line[0] == '\t')
            {
                if (!skipMembers) text.Append(line).Append('\n');
                continue;
            }
            int kindEnd = line.IndexOf(' ', line.IndexOf(' ') + 1);
            string kind = line[(line.IndexOf(' ') + 1)..kindEnd];
            skipMembers = kind == "DATASEC";
            if (kind is "VAR" or "DATASEC" or "DECL_TAG")
            {
                int nameEnd = line.IndexOf('\'', line.IndexOf('\'') + 1);
                text.Append(line, 0, nameEnd + 1).Append('\n');
            }
            else text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    private static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Int => "INT", BtfKind.Pointer => "PTR", BtfKind.Array => "ARRAY", BtfKind.Struct => "STRUCT",
        BtfKind.Union => "UNION", BtfKind.Enum => "ENUM", BtfKind.Forward => "FWD", BtfKind.Typedef => "TYPEDEF",
        BtfKind.Volatile => "VOLATILE", BtfKind.Const => "CONST", BtfKind.Restrict => "RESTRICT", BtfKind.Function => "FUNC",
        BtfKind.FunctionProto => "FUNC_PROTO", BtfKind.Variable => "VAR", BtfKind.DataSection => "DATASEC",
        BtfKind.Float => "FLOAT", BtfKind.DeclTag => "DECL_TAG", BtfKind.TypeTag => "TYPE_TAG", BtfKind.Enum64 => "ENUM64",
        _ => kind.ToString(),
    };
}
