using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Tests.Decoding;

/// <summary>Builds DNS messages for tests (no compression unless a pointer is added by hand).</summary>
internal sealed class DnsMessageBuilder
{
    private readonly List<byte> _bytes = [];

    public DnsMessageBuilder(ushort id, ushort flags, int questions, int answers, int authority = 0, int additional = 0)
    {
        Word(id); Word(flags); Word((ushort)questions); Word((ushort)answers); Word((ushort)authority); Word((ushort)additional);
    }

    public int Position => _bytes.Count;

    public DnsMessageBuilder Name(string name)
    {
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            _bytes.Add((byte)label.Length);
            _bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        _bytes.Add(0);
        return this;
    }

    public DnsMessageBuilder Pointer(int offset) { Word((ushort)(0xc000 | offset)); return this; }

    public DnsMessageBuilder Question(string name, ushort type, ushort @class = 1) => Name(name).Word(type).Word(@class);

    public DnsMessageBuilder Record(string name, ushort type, uint ttl, byte[] rdata) =>
        Name(name).Word(type).Word(1).DoubleWord(ttl).Word((ushort)rdata.Length).Raw(rdata);

    public DnsMessageBuilder Raw(params byte[] bytes) { _bytes.AddRange(bytes); return this; }

    public DnsMessageBuilder Word(ushort value) { _bytes.Add((byte)(value >> 8)); _bytes.Add((byte)value); return this; }

    public DnsMessageBuilder DoubleWord(uint value) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, value); return Raw(b); }

    public static byte[] EncodeName(string name)
    {
        var b = new DnsMessageBuilder(0, 0, 0, 0);
        b._bytes.Clear();
        return b.Name(name).ToArray();
    }

    public byte[] ToArray() => [.. _bytes];
}
