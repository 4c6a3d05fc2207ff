using System.Buffers.Binary;
using NUnit.Framework;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Tests.Ebpf.Btf;

/// <summary>The reader on hand-built blobs: member paths through anonymous members, both bitfield encodings, errors.</summary>
public class BtfReaderTests
{
    /// <summary>struct outer { int a; union { struct { u8 flag:1, kind:3; }; int *p; }; struct inner in; } and struct inner { u16 x; u32 y; }.</summary>
    private static BtfTypes Sample(out int outerId)
    {
        var b = new BtfBlobBuilder();
        int i32 = b.Int("int", 4, 32, signed: true);                                        // 1
        int u8 = b.Int("u8", 1, 8);                                                         // 2
        int u16 = b.Int("u16", 2, 16);                                                      // 3
        int u32 = b.Int("u32", 4, 32);                                                      // 4
        int ptr = b.Add("", BtfKind.Pointer, 0, (uint)i32);                                 // 5
        int bits = b.Composite(BtfKind.Struct, "", 1, true, ("flag", u8, 1u << 24 | 0), ("kind", u8, 3u << 24 | 1)); // 6
        int union = b.Composite(BtfKind.Union, "", 8, false, ("", bits, 0), ("p", ptr, 0)); // 7
        int inner = b.Composite(BtfKind.Struct, "inner", 8, false, ("x", u16, 0), ("y", u32, 32)); // 8
        int typedefInner = b.Add("inner_t", BtfKind.Typedef, 0, (uint)inner);              // 9
        outerId = b.Composite(BtfKind.Struct, "outer", 24, false, ("a", i32, 0), ("", union, 64), ("in", typedefInner, 128));
        return BtfTypes.Parse(b.Build());
    }

    [Test]
    public void MembersAreFoundThroughAnonymousUnionsAndStructsWithOffsetsFromTheOuterType()
    {
        var btf = Sample(out int outer);
        Assert.That(btf.Find(BtfKind.Struct, "outer").Id, Is.EqualTo(outer));
        Assert.That(btf.FindField("outer", "a").ByteOffset, Is.EqualTo(0));
        Assert.That(btf.FindField("outer", "p").ByteOffset, Is.EqualTo(8));
        Assert.That(btf.FindField("outer", "p").Type.ToString(), Is.EqualTo("int *"));
        Assert.That(btf.FindField("outer", "in.y").ByteOffset, Is.EqualTo(20), "through a typedef into a named member");
        Assert.That(btf.FindField("outer", "in.y").Size, Is.EqualTo(4));
    }

    [Test]
    public void BitfieldsWithTheKindFlagGiveTheirBitOffsetAndWidth()
    {
        var btf = Sample(out _);
        var kind = btf.FindField("outer", "kind");
        Assert.That((kind.BitOffset, kind.BitfieldSize, kind.IsBitfield), Is.EqualTo((65, 3, true)));
        Assert.That(() => kind.ByteOffset, Throws.InvalidOperationException.With.Message.Contains("bit 65"));
        Assert.That(btf.FindField("outer", "a").IsBitfield, Is.False);
    }

    [Test]
    public void LegacyBitfieldsEncodedInTheIntRecordAreRecognised()
    {
        var b = new BtfBlobBuilder();
        int threeBits = b.Add("u8", BtfKind.Int, 0, 1, false, 3u | (2u << 16)); // 3 bits at bit 2 of a byte
        b.Composite(BtfKind.Struct, "s", 1, false, ("f", threeBits, 0));
        var f = BtfTypes.Parse(b.Build()).FindField("s", "f");
        Assert.That((f.BitOffset, f.BitfieldSize), Is.EqualTo((2, 3)));
    }

    [Test]
    public void MissingNamesAndMembersRaiseBtfExceptionsThatNameThem()
    {
        var btf = Sample(out _);
        Assert.That(() => btf.Find(BtfKind.Struct, "nope"), Throws.TypeOf<BtfException>().With.Message.Contains("struct named 'nope'"));
        Assert.That(() => btf.FindField("outer", "in.z"), Throws.TypeOf<BtfException>().With.Message.Contains("no member 'z'"));
        Assert.That(() => btf.FindField("outer", "a.b"), Throws.TypeOf<BtfException>().With.Message.Contains("not a struct or union"));
        Assert.That(btf.TryFind(BtfKind.Typedef, "outer", out _), Is.False, "the kind is part of the lookup");
        Assert.That(btf.FindAll("inner").Select(t => t.Kind), Is.EqualTo(new[] { BtfKind.Struct }));
        Assert.That(() => btf[99], Throws.TypeOf<BtfException>().With.Message.Contains("type id 99"));
    }

    [Test]
    public void MalformedBlobsRaiseBtfExceptionsWithTheByteOffset()
    {
        var good = new BtfBlobBuilder();
        good.Int("int", 4, 32);
        var blob = good.Build();

        var badMagic = (byte[])blob.Clone();
        badMagic[0] = 0;
        Assert.That(() => BtfTypes.Parse(badMagic), Throws.TypeOf<BtfException>().With.Message.Contains("magic"));

        var unknownKind = (byte[])blob.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(unknownKind.AsSpan(24 + 4), 30u << 24);
        Assert.That(() => BtfTypes.Parse(unknownKind), Throws.TypeOf<BtfException>().With.Message.Contains("unknown kind 30").And.Message.Contains("byte 24"));

        var cut = (byte[])blob.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(12), 14); // the type section ends inside the int's trailing word
        Assert.That(() => BtfTypes.Parse(cut), Throws.TypeOf<BtfException>().With.Message.Contains("runs past the end of the type section"));

        var longSection = (byte[])blob.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(longSection.AsSpan(20), 1000);
        Assert.That(() => BtfTypes.Parse(longSection), Throws.TypeOf<BtfException>().With.Message.Contains("string section"));

        var badName = (byte[])blob.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(badName.AsSpan(24), 5000);
        Assert.That(() => BtfTypes.Parse(badName), Throws.TypeOf<BtfException>().With.Message.Contains("name offset 5000"));

        Assert.That(() => BtfTypes.Parse(new byte[3]), Throws.TypeOf<BtfException>().With.Message.Contains("shorter than a BTF header"));
        Assert.That(() => BtfTypes.Load("/nonexistent/btf"), Throws.TypeOf<BtfException>().With.Message.Contains("/nonexistent/btf"));
    }
}
