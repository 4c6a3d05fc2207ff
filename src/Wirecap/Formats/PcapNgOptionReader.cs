using System.Buffers.Binary;

namespace Wirecap.Formats;

/// <summary>
/// Walks the options area of a pcapng block: 16-bit code, 16-bit length, value padded to 32 bits.
/// Stops at opt_endofopt or at the first option that does not fit (validation happens when the
/// block is parsed, see <see cref="PcapNgOptionReader.Validate"/>).
/// </summary>
internal ref struct PcapNgOptionReader
{
    public const ushort EndOfOptions = 0;
    public const ushort Comment = 1;

    private ReadOnlySpan<byte> _rest;
    private readonly bool _bigEndian;

    public PcapNgOptionReader(ReadOnlySpan<byte> options, bool bigEndian)
    {
        _rest = options;
        _bigEndian = bigEndian;
    }

    public ushort Code { get; private set; }

    public ReadOnlySpan<byte> Value { get; private set; }

    public bool MoveNext()
    {
        if (_rest.Length < 4) return false;
        ushort code = ReadUInt16(_rest);
        int length = ReadUInt16(_rest[2..]);
        if (code == EndOfOptions || 4 + length > _rest.Length) return false;
        Code = code;
        Value = _rest.Slice(4, length);
        int padded = 4 + ((length + 3) & ~3);
        _rest = padded >= _rest.Length ? default : _rest[padded..];
        return true;
    }

    public readonly ushort ReadUInt16(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    public readonly uint ValueUInt32() =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(Value) : BinaryPrimitives.ReadUInt32LittleEndian(Value);

    public readonly ulong ValueUInt64() =>
        _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(Value) : BinaryPrimitives.ReadUInt64LittleEndian(Value);

    public readonly long ValueInt64() => (long)ValueUInt64();

    /// <summary>
    /// Checks that the options area is well formed: every option's value fits the area. Returns
    /// the offset (within <paramref name="options"/>) of the first bad option, or -1.
    /// </summary>
    public static int Validate(ReadOnlySpan<byte> options, bool bigEndian)
    {
        int offset = 0;
        while (options.Length - offset >= 4)
        {
            var here = options[offset..];
            ushort code = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(here) : BinaryPrimitives.ReadUInt16LittleEndian(here);
            int length = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(here[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(here[2..]);
            if (code == EndOfOptions) return -1;
            if (4 + length > here.Length) return offset;
            offset += 4 + ((length + 3) & ~3);
        }
        return -1;
    }
}
