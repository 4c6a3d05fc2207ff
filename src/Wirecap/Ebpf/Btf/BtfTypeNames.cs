using System.Text;

namespace Wirecap.Ebpf.Btf;

/// <summary>C-like spelling of a type for messages and listings (<c>struct sk_buff *</c>, <c>const char *</c>).</summary>
internal static class BtfTypeNames
{
    public static string Spell(BtfType type)
    {
        var text = new StringBuilder();
        Append(text, type, 0);
        return text.ToString();
    }

    private static void Append(StringBuilder text, BtfType type, int depth)
    {
        if (depth > 16)
        {
            text.Append("...");
            return;
        }
        switch (type.Kind)
        {
            case BtfKind.Void: text.Append("void"); break;
            case BtfKind.Struct: Named(text, "struct", type); break;
            case BtfKind.Union: Named(text, "union", type); break;
            case BtfKind.Enum or BtfKind.Enum64: Named(text, "enum", type); break;
            case BtfKind.Forward: Named(text, type.KindFlag ? "union" : "struct", type); break;
            case BtfKind.Pointer:
                Append(text, type.Referenced, depth + 1);
                text.Append(text.Length > 0 && text[^1] == '*' ? "*" : " *");
                break;
            case BtfKind.Const: text.Append("const "); Append(text, type.Referenced, depth + 1); break;
            case BtfKind.Volatile: text.Append("volatile "); Append(text, type.Referenced, depth + 1); break;
            case BtfKind.Restrict: Append(text, type.Referenced, depth + 1); text.Append(" restrict"); break;
            case BtfKind.TypeTag: Append(text, type.Referenced, depth + 1); break;
            case BtfKind.Array:
                Append(text, type.Array.Element, depth + 1);
                text.Append('[').Append(type.Array.Count).Append(']');
                break;
            case BtfKind.FunctionProto:
                Append(text, type.Referenced, depth + 1);
                text.Append(" (");
                var parameters = type.Parameters;
                for (int i = 0; i < parameters.Count; i++)
                {
                    if (i > 0) text.Append(", ");
                    if (parameters[i].Type.Id == 0 && i == parameters.Count - 1) text.Append("...");
                    else Append(text, parameters[i].Type, depth + 1);
                }
                text.Append(')');
                break;
            default: text.Append(type.IsAnonymous ? $"({type.Kind})" : type.Name); break;
        }
    }

    private static void Named(StringBuilder text, string keyword, BtfType type) =>
        text.Append(keyword).Append(' ').Append(type.IsAnonymous ? "(anon)" : type.Name);
}
