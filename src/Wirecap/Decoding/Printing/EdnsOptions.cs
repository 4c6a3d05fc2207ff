using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>The options of an EDNS OPT record as tcpdump -vv prints them (its <c>eopt_print</c>):
/// <c> [COOKIE 42f5d00996f90b13,PADDING(12)]</c>.</summary>
internal static class EdnsOptions
{
    private const ushort ClientSubnet = 8, Expire = 9, Cookie = 10, Keepalive = 11, Padding = 12, KeyTag = 14;

    /// <summary>False when an option runs past <paramref name="data"/> (the record's data, as captured).</summary>
    public static bool Append(StringBuilder line, ReadOnlySpan<byte> data)
    {
        line.Append(" [");
        for (int at = 0; at < data.Length;)
        {
            if (at + 2 > data.Length) return false;
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            AppendName(line, code);
            if (at + 4 > data.Length) return false;
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            at += 4;
            if (at + length > data.Length) return false;
            var value = data.Slice(at, length);
            at += length;
            if (length > 0)
            {
                line.Append(' ');
                AppendValue(line, code, value);
            }
            if (at < data.Length) line.Append(',');
        }
        line.Append(']');
        return true;
    }

    private static void AppendValue(StringBuilder line, ushort code, ReadOnlySpan<byte> value)
    {
        switch (code)
        {
            case ClientSubnet:
                AppendClientSubnet(line, value);
                return;
            case Cookie when value.Length < 8 || (value.Length > 8 && value.Length < 16) || value.Length > 40:
                line.Append(" (invalid)");
                return;
            case Cookie:
                for (int i = 0; i < value.Length; i++)
                {
                    if (i == 8) line.Append(' ');
                    line.AppendHexByte(value[i]);
                }
                return;
            case Keepalive when value.Length != 2:
            case Expire when value.Length != 4:
            case KeyTag when value.Length % 2 != 0:
                line.Append(" (invalid)");
                return;
            case Keepalive:
                int tenths = BinaryPrimitives.ReadUInt16BigEndian(value);
                line.Append(tenths / 10).Append('.').Append(tenths % 10).Append(" sec");
                return;
            case Expire:
                line.Append(BinaryPrimitives.ReadUInt32BigEndian(value)).Append(" sec");
                return;
            case Padding:
                line.Append('(').Append(value.Length).Append(')');
                return;
            case KeyTag:
                for (int i = 0; i < value.Length; i += 2)
                {
                    if (i > 0) line.Append(' ');
                    line.Append(BinaryPrimitives.ReadUInt16BigEndian(value[i..]));
                }
                return;
            default:
                foreach (byte b in value) line.AppendHexByte(b);
                return;
        }
    }

    /// <summary>RFC 7871: <c>192.0.2.0/24/0</c>, the address padded with zeros.</summary>
    private static void AppendClientSubnet(StringBuilder line, ReadOnlySpan<byte> value)
    {
        if (value.Length < 4)
        {
            line.Append(" (invalid)");
            return;
        }
        int family = BinaryPrimitives.ReadUInt16BigEndian(value), source = value[2], scope = value[3];
        int bits = family switch { 1 => 32, 2 => 128, _ => 0 };
        if (bits == 0 || value.Length - 4 > bits / 8 || source > bits || scope > bits || (source + 7) / 8 != value.Length - 4)
        {
            line.Append(" (invalid)");
            return;
        }
        Span<byte> address = stackalloc byte[bits / 8];
        address.Clear();
        value[4..].CopyTo(address);
        line.AppendIp(address).Append('/').Append(source).Append('/').Append(scope);
    }

    private static void AppendName(StringBuilder line, ushort code)
    {
        string? name = code switch
        {
            1 => "LLQ", 2 => "UL", 3 => "NSID", 5 => "DAU", 6 => "DHU", 7 => "N3U", 8 => "ECS", 9 => "EXPIRE", 10 => "COOKIE",
            11 => "KEEPALIVE", 12 => "PADDING", 13 => "CHAIN", 14 => "KEY-TAG", 16 => "CLIENT-TAG", 17 => "SERVER-TAG", _ => null,
        };
        if (name is null) line.Append("Opt").Append(code);
        else line.Append(name);
    }
}
