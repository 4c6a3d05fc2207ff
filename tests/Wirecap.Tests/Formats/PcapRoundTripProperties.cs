using Wirecap.Formats;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>Whatever we write as pcap reads back the same, however it is read.</summary>
public class PcapRoundTripProperties
{
    private sealed record Input(TimestampPrecision Precision, CaptureByteOrder Order, LinkType LinkType, int SnapLength,
        int? FcsLength, List<(byte[] Data, long Timestamp, int Extra)> Packets, int Seed);

    private static Gen<Input> Inputs() =>
        from precision in Gen.Elements(TimestampPrecision.Microsecond, TimestampPrecision.Nanosecond)
        from order in Gen.Elements(CaptureByteOrder.LittleEndian, CaptureByteOrder.BigEndian, CaptureByteOrder.Native)
        from linkType in CaptureGenerators.LinkTypeGen()
        from snap in Gen.Elements(0, 64, 65535, 262144)
        from fcs in Gen.Elements<int?>(null, 0, 4)
        from count in Gen.Choose(0, 20)
        from packets in Gen.ListOf(
            from data in CaptureGenerators.Bytes(200)
            from ts in CaptureGenerators.Timestamp(uint.MaxValue)
            from extra in Gen.Choose(0, 3000)
            select (data, ts, extra), count)
        from seed in Gen.Choose(0, 1000)
        select new Input(precision, order, linkType, snap, fcs, packets.ToList(), seed);

    [Test]
    public void Written_pcap_reads_back_the_same()
    {
        Prop.ForAll(Inputs().ToArbitrary(), input =>
        {
            var stream = new MemoryStream();
            using (var writer = CaptureWriter.Create(stream, CaptureFormat.Pcap, new CaptureWriterOptions
            {
                Precision = input.Precision, ByteOrder = input.Order, LinkType = input.LinkType,
                SnapLength = input.SnapLength, FcsLength = input.FcsLength, LeaveOpen = true,
            }))
            {
                foreach (var (data, ts, extra) in input.Packets) writer.Write(data, ts, data.Length + extra);
            }
            var file = stream.ToArray();
            var expected = input.Packets.Select(p =>
            {
                int kept = input.SnapLength == 0 ? p.Data.Length : Math.Min(p.Data.Length, input.SnapLength);
                long ts = input.Precision == TimestampPrecision.Microsecond ? p.Timestamp - p.Timestamp % 1000 : p.Timestamp;
                return new RecordValues(Convert.ToHexString(p.Data, 0, kept), ts, p.Data.Length + p.Extra, input.LinkType, 0, 0, null, null, "", "");
            }).ToList();
            var difference = ReadBack.Compare(file, expected, input.Seed);
            Assert.That(difference, Is.Null);

            using var reader = (PcapReader)CaptureReader.Open(new MemoryStream(file));
            Assert.That(reader.Precision, Is.EqualTo(input.Precision));
            Assert.That(reader.LinkType, Is.EqualTo(input.LinkType));
            Assert.That(reader.SnapLength, Is.EqualTo(input.SnapLength));
            Assert.That(reader.FcsLength, Is.EqualTo(input.FcsLength));
            Assert.That(reader.ByteOrder, Is.EqualTo(input.Order == CaptureByteOrder.Native
                ? (BitConverter.IsLittleEndian ? CaptureByteOrder.LittleEndian : CaptureByteOrder.BigEndian) : input.Order));
        }).QuickCheckThrowOnFailure();
    }
}
