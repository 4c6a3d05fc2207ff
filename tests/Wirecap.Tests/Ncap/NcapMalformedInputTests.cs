using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using FsCheck.Fluent;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.NcapTestData;

namespace Wirecap.Tests.Ncap;

public class NcapMalformedInputTests
{
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_ITERATIONS"), out int n) ? n : 3000;

    private static readonly byte[] Valid = WriteStream(Messages().Sample(40, 12));

    [Test]
    public void MutatedStreamsGiveOnlyFormatErrorsOrACleanEnd()
    {
        var random = new Random(12345);
        for (int i = 0; i < Iterations; i++)
        {
            var bytes = (byte[])Valid.Clone();
            int flips = random.Next(1, 6);
            for (int f = 0; f < flips; f++)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            ReadExpectingOnlyFormatErrors(bytes);
        }
    }

    [Test]
    public void EveryTruncationIsACleanEndOrATruncationErrorAfterTheWholeMessages()
    {
        var boundaries = new HashSet<int> { 8 };
        for (int at = 8; at < Valid.Length; at += (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Valid.AsSpan(at)))
            boundaries.Add(at + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Valid.AsSpan(at)));
        for (int length = 0; length < Valid.Length; length++)
        {
            var bytes = Valid[..length];
            int delivered = 0;
            try
            {
                using var reader = new NcapReader(new MemoryStream(bytes));
                while (reader.Read()) delivered++;
                Assert.That(boundaries, Does.Contain(length), $"clean end at {length}");
            }
            catch (CaptureFormatException e)
            {
                Assert.That(boundaries, Does.Not.Contain(length), $"error at a boundary {length}: {e.Message}");
                Assert.That(e.Offset, Is.LessThanOrEqualTo(length));
            }
            Assert.That(delivered, Is.EqualTo(Math.Max(0, boundaries.Count(b => b <= length) - 1)), $"messages delivered from {length} bytes");
        }
    }

    [TestCase("", "empty stream")]
    [TestCase("4E434150", "truncated file header")]
    [TestCase("50434E41 0000002A", "bad magic")]
    [TestCase("4E434150 0000002B", "unsupported version 43")]
    [TestCase("4E434150 0000002A 00000010", "shorter than the 28-byte fixed part")]
    [TestCase("4E434150 0000002A 0000001C 00000000 00000000 00000000 00000000 0002 0000 00000000", "unknown network union type 2")]
    [TestCase("4E434150 0000002A 00000024 00000000 00000000 00000000 00000000 0000 0003 00000000 00000000 00000000", "unknown transport union type 3")]
    [TestCase("4E434150 0000002A 00000028 00000000 00000000 00000000 00000000 0000 0000 00000010 00000000 00000000 00000000", "payload length 16 overruns")]
    [TestCase("4E434150 0000002A 00000028 00000000", "truncated message: length 40")]
    public void SpecificErrorsNameWhatIsWrongAndWhere(string hex, string expected)
    {
        var e = Assert.Throws<CaptureFormatException>(() => ReadStream(new MemoryStream(Hex(hex))));
        Assert.That(e!.Message, Does.Contain(expected));
        Assert.That(e.Format, Is.EqualTo(CaptureFormat.Ncap));
    }

    [Test]
    public void ErrorOffsetPointsAtTheFaultyField()
    {
        var e = Assert.Throws<CaptureFormatException>(() => ReadStream(new MemoryStream(
            Hex("4E434150 0000002A 00000024 00000000 00000000 00000000 00000000 0000 0003 00000000 00000000 00000000"))));
        Assert.That(e!.Offset, Is.EqualTo(8 + 22));
    }

    [Test]
    public void AHugeLyingLengthDoesNotAllocateItsSize()
    {
        var bytes = Hex("4E434150 0000002A 7FFFFFF0 00000000");
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CaptureFormatException>(() => ReadStream(new MemoryStream(bytes)));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
    }

    private static void ReadExpectingOnlyFormatErrors(byte[] bytes)
    {
        try
        {
            using var reader = new NcapReader(new MemoryStream(bytes), new NcapReaderOptions { MaxMessageLength = 4096 });
            while (reader.Read())
            {
                var record = reader.Current;
                _ = record.ToMessage();
            }
        }
        catch (CaptureFormatException) { }
    }
}
