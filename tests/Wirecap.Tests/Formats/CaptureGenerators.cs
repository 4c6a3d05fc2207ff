using Wirecap.Formats;
using FsCheck;
using FsCheck.Fluent;

namespace Wirecap.Tests.Formats;

/// <summary>FsCheck generators for packets, interfaces and options.</summary>
public static class CaptureGenerators
{
    public static Gen<byte[]> Bytes(int maxLength) =>
        from length in Gen.Choose(0, maxLength)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select bytes;

    public static Gen<ulong> UInt64() =>
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)high << 32) | (uint)low;

    /// <summary>Nanoseconds from 1970 up to <paramref name="maxSeconds"/>.</summary>
    public static Gen<long> Timestamp(long maxSeconds) =>
        from seconds in Gen.Choose(0, int.MaxValue).Select(s => (long)s * 2 % (maxSeconds + 1))
        from nanos in Gen.Choose(0, 999_999_999)
        select seconds * 1_000_000_000 + nanos;

    private static readonly string[] Fragments = ["a", "Z", "0", " ", "é", "漢字", "😀", "\t", "comment", ",", "|"];

    public static Gen<string> Text() =>
        from count in Gen.Choose(0, 6)
        from parts in Gen.ArrayOf(Gen.Elements(Fragments), count)
        select string.Concat(parts);

    public static Gen<List<string>> Comments() =>
        from count in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
        from texts in Gen.ListOf(Text(), count)
        select texts.ToList();

    public static Gen<LinkType> LinkTypeGen() =>
        Gen.Elements(LinkType.Ethernet, LinkType.Raw, LinkType.LinuxSll, LinkType.LinuxSll2, LinkType.Ipv4,
            LinkType.Ipv6, LinkType.Null, LinkType.Loop, (LinkType)147, (LinkType)0xfffe);

    public static Gen<T?> Maybe<T>(Gen<T> gen) where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (1, gen.Select(v => (T?)v)));
}
