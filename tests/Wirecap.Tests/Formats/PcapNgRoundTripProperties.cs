using Wirecap.Formats;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

/// <summary>Whatever we write as pcapng (interfaces, options, statistics) reads back the same.</summary>
public class PcapNgRoundTripProperties
{
    private sealed record PacketInput(int Interface, byte[] Data, long Timestamp, int Extra, uint Flags, ulong? Drops,
        ulong? PacketId, byte[] Hash, List<string> Comments);

    private sealed record Input(CaptureByteOrder Order, List<CaptureInterface> Interfaces, List<PacketInput> Packets,
        List<string> SectionComments, int Seed);

    private static Gen<CaptureInterface> Interfaces() =>
        from linkType in CaptureGenerators.LinkTypeGen()
        from snap in Gen.Elements(0, 100, 262144)
        from name in Gen.Frequency((1, Gen.Constant<string?>(null)), (2, CaptureGenerators.Text().Select(t => (string?)("if" + t))))
        from description in Gen.Frequency((1, Gen.Constant<string?>(null)), (1, CaptureGenerators.Text().Select(t => (string?)t)))
        from resolution in Gen.Elements<byte>(9, 6, 3, 0, 0x80 | 30, 0x80 | 10)
        from offset in Gen.Elements(0L, 1000L)
        from fcs in Gen.Elements<int?>(null, 4)
        from comments in CaptureGenerators.Comments()
        select new CaptureInterface
        {
            LinkType = linkType, SnapLength = snap, Name = name, Description = description,
            TimestampResolution = resolution, TimestampOffset = offset, FcsLength = fcs, Comments = comments,
        };

    private static Gen<PacketInput> Packets(int interfaceCount) =>
        from iface in Gen.Choose(0, interfaceCount - 1)
        from data in CaptureGenerators.Bytes(150)
        from ts in CaptureGenerators.Timestamp(4_000_000_000)
        from extra in Gen.Choose(0, 100)
        from flags in Gen.Frequency((2, Gen.Constant(0u)), (1, Gen.Elements(1u, 2u, 3u, 0x1234_5601u)))
        from drops in CaptureGenerators.Maybe(CaptureGenerators.UInt64())
        from id in CaptureGenerators.Maybe(CaptureGenerators.UInt64())
        from hash in Gen.Frequency((2, Gen.Constant(Array.Empty<byte>())), (1, CaptureGenerators.Bytes(20).Select(h => (byte[])[2, .. h])))
        from comments in CaptureGenerators.Comments()
        select new PacketInput(iface, data, ts + 1000L * 1_000_000_000, extra, flags, drops, id, hash, comments);

    private static Gen<Input> Inputs() =>
        from order in Gen.Elements(CaptureByteOrder.LittleEndian, CaptureByteOrder.BigEndian)
        from interfaceCount in Gen.Choose(1, 3)
        from interfaces in Gen.ListOf(Interfaces(), interfaceCount)
        from count in Gen.Choose(0, 15)
        from packets in Gen.ListOf(Packets(interfaceCount), count)
        from sectionComments in CaptureGenerators.Comments()
        from seed in Gen.Choose(0, 1000)
        select new Input(order, interfaces.ToList(), packets.ToList(), sectionComments, seed);

    private static long Expected(long ns, CaptureInterface iface)
    {
        ulong units = iface.TimestampResolution switch
        {
            9 when iface.TimestampOffset == 0 => (ulong)ns,
            _ => Timestamps.NanosecondsToUnits(ns, iface.TimestampResolution, iface.TimestampOffset),
        };
        Assert.That(Timestamps.TryUnitsToNanoseconds(units, iface.TimestampResolution, iface.TimestampOffset, out long back), Is.True);
        return back;
    }

    [Test]
    public void Written_pcapng_reads_back_the_same()
    {
        Prop.ForAll(Inputs().ToArbitrary(), input =>
        {
            var stream = new MemoryStream();
            using (var writer = CaptureWriter.Create(stream, CaptureFormat.PcapNg, new CaptureWriterOptions
            {
                ByteOrder = input.Order, Interfaces = input.Interfaces, SectionComments = input.SectionComments, LeaveOpen = true,
            }))
            {
                foreach (var p in input.Packets)
                {
                    writer.Write(new Packet(p.Data, p.Timestamp, p.Data.Length + p.Extra, input.Interfaces[p.Interface].LinkType, p.Interface)
                    {
                        Flags = p.Flags, DropCount = p.Drops, PacketId = p.PacketId, Hash = p.Hash.Length == 0 ? null : p.Hash, Comments = p.Comments,
                    });
                }
                for (int i = 0; i < input.Interfaces.Count; i++)
                    writer.WriteStatistics(new InterfaceStatistics
                    {
                        InterfaceId = i, TimestampNanoseconds = 2_000_000_000_000_000_000, ReceivedByInterface = (ulong)i + 10,
                        DroppedByOs = i == 1 ? null : 5, StartTimeNanoseconds = 1_000_000_000_000_000_000, Comments = ["stats"],
                    });
            }
            var file = stream.ToArray();
            var expected = input.Packets.Select(p =>
            {
                var iface = input.Interfaces[p.Interface];
                int kept = iface.SnapLength == 0 ? p.Data.Length : Math.Min(p.Data.Length, iface.SnapLength);
                return new RecordValues(Convert.ToHexString(p.Data, 0, kept), Expected(p.Timestamp, iface), p.Data.Length + p.Extra,
                    iface.LinkType, p.Interface, p.Flags, p.Drops, p.PacketId, Convert.ToHexString(p.Hash), string.Join("\u0001", p.Comments));
            }).ToList();
            Assert.That(ReadBack.Compare(file, expected, input.Seed), Is.Null);

            using var reader = (PcapNgReader)CaptureReader.Open(new MemoryStream(file));
            while (reader.Read()) { }
            Assert.That(reader.SectionComments, Is.EqualTo(input.SectionComments));
            Assert.That(reader.Application, Is.EqualTo("Wirecap"));
            Assert.That(reader.Interfaces.Count, Is.EqualTo(input.Interfaces.Count));
            for (int i = 0; i < input.Interfaces.Count; i++)
            {
                var (a, e) = (reader.Interfaces[i], input.Interfaces[i]);
                Assert.That((a.LinkType, a.SnapLength, a.Name, a.Description, a.TimestampResolution, a.TimestampOffset, a.FcsLength),
                    Is.EqualTo((e.LinkType, e.SnapLength, e.Name, e.Description, e.TimestampResolution, e.TimestampOffset, e.FcsLength)));
                Assert.That(a.Comments, Is.EqualTo(e.Comments));
                var stats = reader.Statistics[i];
                Assert.That((stats.InterfaceId, stats.ReceivedByInterface, stats.DroppedByOs), Is.EqualTo((i, (ulong?)(ulong)(i + 10), i == 1 ? null : (ulong?)5)));
                Assert.That(stats.TimestampNanoseconds, Is.EqualTo(Expected(2_000_000_000_000_000_000, e)));
                Assert.That(stats.StartTimeNanoseconds, Is.EqualTo(Expected(1_000_000_000_000_000_000, e)));
                Assert.That(stats.EndTimeNanoseconds, Is.Null);
                Assert.That(stats.Comments, Is.EqualTo(new[] { "stats" }));
            }
        }).QuickCheckThrowOnFailure();
    }
}
