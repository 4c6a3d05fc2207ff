using Wirecap.Formats;
using NUnit.Framework;
using static Wirecap.Tests.Formats.PcapNgBlocks;

namespace Wirecap.Tests.Formats;

/// <summary>Block kinds our writer does not produce, read as tshark reads them.</summary>
public class PcapNgBlockKindsTests
{
    private static byte[] Frame(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    [Test]
    public void Simple_obsolete_name_resolution_secrets_and_custom_blocks()
    {
        byte[] file =
        [
            .. SectionHeader(),
            .. Custom(),
            .. InterfaceDescription(1, 64, [.. Option(2, "eth0"u8.ToArray()), .. Option(9, [3]), .. EndOfOptions]),
            .. InterfaceDescription(1, 0, [.. Option(9, [0x80 | 10]), .. Option(14, U64(100)), .. EndOfOptions]),
            .. NameResolution([10, 0, 0, 1], "one.example", "uno.example"),
            .. SimplePacket(100, Frame(64, 0xaa)),          // cut to the first interface's snap length
            .. DecryptionSecrets(),
            .. ObsoletePacket(1, 7, 3 * 1024 + 512, Frame(50, 0xbb)),
            .. EnhancedPacket(0, 1_700_000_000_123, Frame(60, 0xcc), 70),
            .. Block(0x12345678, [1, 2, 3, 4, 5, 6, 7, 8]),  // unknown block type
            .. EnhancedPacket(1, 2048, Frame(42, 0xdd)),
        ];
        using var files = new TestFiles();
        var path = files["kinds.pcapng"];
        File.WriteAllBytes(path, file);

        var ours = PeerFrame.ReadWithUs(path);
        // tshark also lists the custom block as a record (its 4 data bytes); it is not a packet.
        var tshark = PeerFrame.ReadWithTshark(path).Where(f => f.Hex != "09090909").ToList();
        Assert.That(ours, Has.Count.EqualTo(4));
        // tshark gives a simple packet (which has no timestamp) the time of nothing; compare the rest.
        Assert.That(ours.Skip(1), Is.EqualTo(tshark.Skip(1)));
        Assert.That(ours[0] with { Epoch = "" }, Is.EqualTo(tshark[0] with { Epoch = "" }));

        using var reader = (PcapNgReader)CaptureReader.Open(path);
        Assert.That(reader.Interfaces[0].Name, Is.EqualTo("eth0"));
        var records = new List<(long Ts, ulong? Drops, int Iface)>();
        while (reader.Read()) records.Add((reader.Current.TimestampNanoseconds, reader.Current.DropCount, reader.Current.InterfaceId));
        Assert.That(records[0], Is.EqualTo((0L, (ulong?)null, 0)));
        Assert.That(records[1], Is.EqualTo((100 * 1_000_000_000L + 3_500_000_000L, (ulong?)7, 1)));   // 3.5 s in 2^-10 units, plus 100 s offset
        Assert.That(records[2].Ts, Is.EqualTo(1_700_000_000_123_000_000L));                          // milliseconds
        Assert.That(reader.NameResolution, Has.Count.EqualTo(1));
        Assert.That(reader.NameResolution[0].Address.ToString(), Is.EqualTo("10.0.0.1"));
        Assert.That(reader.NameResolution[0].Names, Is.EqualTo(new[] { "one.example", "uno.example" }));
    }
}
