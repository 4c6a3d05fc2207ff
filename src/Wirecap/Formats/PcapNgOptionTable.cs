using System.Text;

namespace Wirecap.Formats;

/// <summary>How a named option's value is encoded.</summary>
internal enum PcapNgOptionKind
{
    /// <summary>A UTF-8 string (read up to a NUL some writers add).</summary>
    Utf8,

    /// <summary>One byte (if_tsresol, if_fcslen).</summary>
    Byte,

    /// <summary>A 64-bit integer in the section's byte order.</summary>
    UInt64,

    /// <summary>A timestamp in the interface's units: two 32-bit words, high then low, each in the section's order.</summary>
    Timestamp,

    /// <summary>if_filter: a kind byte, then for kind 0 a libpcap expression in UTF-8 (other kinds are kept as they are).</summary>
    Filter,
}

/// <summary>One named option: its code, its encoding, and the value a block being written gives it (null: left out).
/// The value's type follows <see cref="Kind"/>: string, byte, ulong (UInt64 and Timestamp), string.</summary>
internal readonly record struct PcapNgOptionField<T>(ushort Code, PcapNgOptionKind Kind, Func<T, object?> Value);

/// <summary>
/// The options of one block type as a table, so that each option is described once for both ways: the writer sizes
/// and writes a block's options in one loop each (comments first, the named options in table order, then the
/// copyable other options, byte order turned for those it knows), and the reader reads them in one loop into
/// <see cref="PcapNgOptionValues"/>. A named option whose value is too short for its kind is kept as an other option,
/// as it stood. Per-packet options (EPB) keep their own allocation-free path.
/// </summary>
/// <typeparam name="T">What a block is written from.</typeparam>
internal sealed class PcapNgOptionTable<T>(uint blockType, Func<T, IReadOnlyList<string>> comments,
    Func<T, IReadOnlyList<CaptureOption>> others, params PcapNgOptionField<T>[] fields)
{
    private readonly ushort[] _codes = Array.ConvertAll(fields, f => f.Code);

    /// <summary>The bytes the options take, without opt_endofopt.</summary>
    /// <exception cref="ArgumentException">A value longer than an option holds.</exception>
    public int Size(T model)
    {
        int size = PcapNgOptionCodec.CommentsSize(comments(model));
        foreach (var field in fields)
        {
            if (field.Value(model) is not { } value) continue;
            size += field.Kind switch
            {
                PcapNgOptionKind.Utf8 => PcapNgOptionCodec.StringSize((string)value),
                PcapNgOptionKind.Byte => PcapNgBlockEncoder.OptionSize(1),
                PcapNgOptionKind.Filter => PcapNgOptionCodec.OptionSize(1 + Encoding.UTF8.GetByteCount((string)value), "if_filter"),
                _ => PcapNgBlockEncoder.OptionSize(8),
            };
        }
        return size + PcapNgOptionCodec.OthersSize(others(model));
    }

    /// <summary>Writes the options (without opt_endofopt) in a block of <paramref name="bigEndian"/> order.</summary>
    public void Write(ref PcapNgBlockEncoder block, T model, bool bigEndian)
    {
        PcapNgOptionCodec.WriteComments(ref block, comments(model));
        foreach (var field in fields)
        {
            switch (field.Value(model))
            {
                case null: break;
                case string text when field.Kind == PcapNgOptionKind.Filter: block.OptionWithKind(field.Code, 0, text); break;
                case string text: block.Option(field.Code, text); break;
                case byte value: block.OptionByte(field.Code, value); break;
                case ulong units when field.Kind == PcapNgOptionKind.Timestamp: block.OptionTimestamp(field.Code, units); break;
                case ulong value: block.OptionUInt64(field.Code, value); break;
                default: throw new InvalidOperationException($"pcapng option {field.Code}: no {field.Kind} value");
            }
        }
        PcapNgOptionCodec.WriteOthers(ref block, blockType, others(model), bigEndian);
    }

    /// <summary>Reads an options area (already validated) of a block in <paramref name="bigEndian"/> order.</summary>
    public PcapNgOptionValues Read(ReadOnlySpan<byte> options, bool bigEndian)
    {
        var values = new object?[fields.Length];
        List<string>? readComments = null;
        List<CaptureOption>? readOthers = null;
        var reader = new PcapNgOptionReader(options, bigEndian);
        while (reader.MoveNext())
        {
            if (reader.Code == PcapNgOptionReader.Comment)
            {
                (readComments ??= []).Add(PcapNgOptionCodec.Utf8(reader.Value));
                continue;
            }
            int index = Array.IndexOf(_codes, reader.Code);
            if (index >= 0 && Decode(fields[index].Kind, reader, bigEndian) is { } value) values[index] = value;
            else (readOthers ??= []).Add(PcapNgOptionOrder.Read(blockType, reader.Code, reader.Value, bigEndian));
        }
        return new PcapNgOptionValues(_codes, values, readComments is null ? [] : readComments, readOthers is null ? [] : readOthers);
    }

    private static object? Decode(PcapNgOptionKind kind, in PcapNgOptionReader option, bool bigEndian)
    {
        var value = option.Value;
        return kind switch
        {
            PcapNgOptionKind.Utf8 => PcapNgOptionCodec.Utf8(value),
            PcapNgOptionKind.Byte when value.Length >= 1 => value[0],
            PcapNgOptionKind.UInt64 when value.Length >= 8 => option.ValueUInt64(),
            PcapNgOptionKind.Timestamp when value.Length >= 8 =>
                ((ulong)PcapNgOptionOrder.UInt32(value, bigEndian) << 32) | PcapNgOptionOrder.UInt32(value[4..], bigEndian),
            PcapNgOptionKind.Filter when value.Length >= 1 && value[0] == 0 => PcapNgOptionCodec.Utf8(value[1..]),
            _ => null,
        };
    }
}

/// <summary>The options read from one block: the named ones by code, the comments, the others in file order.</summary>
internal readonly struct PcapNgOptionValues(ushort[] codes, object?[] values, IReadOnlyList<string> comments, IReadOnlyList<CaptureOption> others)
{
    public IReadOnlyList<string> Comments => comments;

    public IReadOnlyList<CaptureOption> Others => others;

    public string? String(ushort code) => (string?)Find(code);

    public byte? Byte(ushort code) => (byte?)Find(code);

    /// <summary>A 64-bit integer, or a timestamp's units.</summary>
    public ulong? UInt64(ushort code) => (ulong?)Find(code);

    private object? Find(ushort code)
    {
        int index = Array.IndexOf(codes, code);
        return index >= 0 ? values[index] : throw new ArgumentOutOfRangeException(nameof(code), code, "not an option of this block's table");
    }
}

/// <summary>Comments, strings and the options the library does not name, sized, written and read the same way in
/// every block (packets included).</summary>
internal static class PcapNgOptionCodec
{
    public static int StringSize(string? value) =>
        value is null ? 0 : OptionSize(Encoding.UTF8.GetByteCount(value), "string");

    /// <exception cref="ArgumentException">A value longer than an option holds.</exception>
    public static int OptionSize(int length, string what) => length <= ushort.MaxValue
        ? PcapNgBlockEncoder.OptionSize(length)
        : throw new ArgumentException($"a pcapng {what} option holds at most 65535 bytes, not {length}");

    public static int CommentsSize(IReadOnlyList<string> comments)
    {
        int size = 0;
        for (int i = 0; i < comments.Count; i++) size += StringSize(comments[i]);
        return size;
    }

    public static void WriteComments(ref PcapNgBlockEncoder block, IReadOnlyList<string> comments)
    {
        for (int i = 0; i < comments.Count; i++) block.Option(PcapNgOptionReader.Comment, comments[i]);
    }

    public static int OthersSize(IReadOnlyList<CaptureOption> others)
    {
        int size = 0;
        for (int i = 0; i < others.Count; i++)
            if (others[i].IsCopyable) size += OptionSize(others[i].Value.Length, "option");
        return size;
    }

    public static void WriteOthers(ref PcapNgBlockEncoder block, uint blockType, IReadOnlyList<CaptureOption> others, bool bigEndian)
    {
        for (int i = 0; i < others.Count; i++)
        {
            if (!others[i].IsCopyable) continue; // custom options marked "do not copy" describe the file they were in
            var value = block.Option(others[i].Code, others[i].Value.Span);
            if (bigEndian) PcapNgOptionOrder.Swap(blockType, others[i].Code, value);
        }
    }

    public static string Utf8(ReadOnlySpan<byte> value)
    {
        // Strings in options may carry a terminating NUL from some writers.
        int nul = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? value[..nul] : value);
    }
}
