using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Formats;

/// <summary>Encodes one pcapng block into a span sized in advance (see the <c>*Size</c> helpers).</summary>
internal ref struct PcapNgBlockEncoder
{
    private readonly Span<byte> _block;
    private readonly bool _bigEndian;
    private int _position;

    /// <summary>Starts a block of <paramref name="type"/> filling all of <paramref name="block"/>.</summary>
    public PcapNgBlockEncoder(Span<byte> block, uint type, bool bigEndian)
    {
        _block = block;
        _bigEndian = bigEndian;
        _position = 0;
        UInt32(type);
        UInt32((uint)block.Length);
    }

    public static int OptionSize(int valueLength) => 4 + Pad(valueLength);

    public static int Pad(int length) => (length + 3) & ~3;

    public void UInt16(ushort value)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(_block[_position..], value);
        else BinaryPrimitives.WriteUInt16LittleEndian(_block[_position..], value);
        _position += 2;
    }

    public void UInt32(uint value)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(_block[_position..], value);
        else BinaryPrimitives.WriteUInt32LittleEndian(_block[_position..], value);
        _position += 4;
    }

    public void UInt64(ulong value)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt64BigEndian(_block[_position..], value);
        else BinaryPrimitives.WriteUInt64LittleEndian(_block[_position..], value);
        _position += 8;
    }

    /// <summary>A 64-bit timestamp as the format stores it: high word, then low word.</summary>
    public void Timestamp(ulong units)
    {
        UInt32((uint)(units >> 32));
        UInt32((uint)units);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_block[_position..]);
        _position += value.Length;
        PadTo4();
    }

    /// <summary>Writes an option and returns where its value went (for a caller that turns integers in it around).</summary>
    public Span<byte> Option(ushort code, ReadOnlySpan<byte> value)
    {
        UInt16(code);
        UInt16((ushort)value.Length);
        var written = _block.Slice(_position, value.Length);
        Bytes(value);
        return written;
    }

    /// <summary>An option whose value is a kind byte followed by a UTF-8 string (if_filter).</summary>
    public void OptionWithKind(ushort code, byte kind, string value)
    {
        UInt16(code);
        int length = Encoding.UTF8.GetBytes(value, _block[(_position + 3)..]);
        UInt16((ushort)(1 + length));
        _block[_position] = kind;
        _position += 1 + length;
        PadTo4();
    }

    /// <summary>A name resolution record's value: the address, then each name with its terminating NUL.</summary>
    public void NameRecord(System.Net.IPAddress address, IReadOnlyList<string> names)
    {
        address.TryWriteBytes(_block[_position..], out int written);
        _position += written;
        foreach (var name in names)
        {
            _position += Encoding.UTF8.GetBytes(name, _block[_position..]);
            _block[_position++] = 0;
        }
        PadTo4();
    }

    public void Option(ushort code, string? value)
    {
        if (value is null) return;
        UInt16(code);
        int length = Encoding.UTF8.GetBytes(value, _block[(_position + 2)..]);
        UInt16((ushort)length);
        _position += length;
        PadTo4();
    }

    public void OptionByte(ushort code, byte value)
    {
        UInt16(code);
        UInt16(1);
        _block[_position] = value;
        _position++;
        PadTo4();
    }

    public void OptionUInt32(ushort code, uint value)
    {
        UInt16(code);
        UInt16(4);
        UInt32(value);
    }

    public void OptionUInt64(ushort code, ulong value)
    {
        UInt16(code);
        UInt16(8);
        UInt64(value);
    }

    public void OptionTimestamp(ushort code, ulong units)
    {
        UInt16(code);
        UInt16(8);
        Timestamp(units);
    }

    public void EndOfOptions() => UInt32(0);

    /// <summary>Writes the trailing length; the block must then be exactly full.</summary>
    public void Finish()
    {
        UInt32((uint)_block.Length);
        if (_position != _block.Length)
            throw new InvalidOperationException($"pcapng block encoded as {_position} bytes, sized as {_block.Length}");
    }

    private void PadTo4()
    {
        int padded = Pad(_position);
        _block[_position..padded].Clear();
        _position = padded;
    }
}
