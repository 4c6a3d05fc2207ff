using System.Buffers.Binary;
using System.Text;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Tests.Ebpf.Btf;

/// <summary>Builds small BTF blobs by hand (little-endian), type by type, for reader tests.</summary>
internal sealed class BtfBlobBuilder
{
    private readonly List<uint> _types = [];
    private readonly MemoryStream _strings = NewStrings();

    private static MemoryStream NewStrings()
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        return strings;
    }
    private int _next = 1;

    public uint Name(string name)
    {
        if (name.Length == 0) return 0;
        uint offset = (uint)_strings.Length;
        _strings.Write(Encoding.UTF8.GetBytes(name));
        _strings.WriteByte(0);
        return offset;
    }

    /// <summary>Adds a record and returns its id.</summary>
    public int Add(string name, BtfKind kind, int vlen, uint sizeOrType, bool kindFlag = false, params uint[] trailing)
    {
        _types.Add(Name(name));
        _types.Add((uint)vlen | ((uint)kind << 24) | (kindFlag ? 0x8000_0000u : 0));
        _types.Add(sizeOrType);
        _types.AddRange(trailing);
        return _next++;
    }

    public int Int(string name, int size, int bits, bool signed = false) =>
        Add(name, BtfKind.Int, 0, (uint)size, false, (uint)bits | (signed ? 1u << 24 : 0));

    /// <summary>A struct or union; members are (name, type, offset word).</summary>
    public int Composite(BtfKind kind, string name, int size, bool kindFlag, params (string Name, int Type, uint Offset)[] members) =>
        Add(name, kind, members.Length, (uint)size, kindFlag, members.SelectMany(m => new[] { Name(m.Name), (uint)m.Type, m.Offset }).ToArray());

    public byte[] Build()
    {
        var types = new byte[_types.Count * 4];
        for (int i = 0; i < _types.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(4 * i), _types[i]);
        var strings = _strings.ToArray();
        var blob = new byte[24 + types.Length + strings.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xEB9F);
        blob[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)strings.Length);
        types.CopyTo(blob, 24);
        strings.CopyTo(blob, 24 + types.Length);
        return blob;
    }
}
