namespace Wirecap.Tests.Formats;

/// <summary>
/// A pcapng file holding everything a copy must keep, written by hand (not by the library): a little-endian section and a
/// big-endian one with different snap lengths; section, interface and packet options of every kind; statistics, name
/// resolution, decryption secrets, copyable and non-copyable custom blocks; a simple packet block; a record whose
/// original length is below its captured length.
/// </summary>
public static class RichCapture
{
    public const int PacketCount = 5;

    public static byte[] Frame(int length, byte fill)
    {
        var frame = Enumerable.Repeat(fill, length).ToArray();
        byte[] header = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5]; // local experimental EtherType
        header.CopyTo(frame, 0);
        return frame;
    }

    public static byte[] Build()
    {
        var le = new EndianBlocks(bigEndian: false);
        var be = new EndianBlocks(bigEndian: true);
        const ulong second = 1_700_000_000UL;
        byte[] md5 = [2, .. Enumerable.Range(1, 16).Select(i => (byte)i)];
        return
        [
            .. le.SectionHeader([.. le.Option(1, "first section"), .. le.Option(2, "hw-A"), .. le.Option(3, "Linux A"),
                .. le.Option(4, "app A"), .. le.Option(2988, [.. le.U32(32473), .. "x"u8.ToArray()]), .. EndianBlocks.End]),
            .. le.InterfaceDescription(1, 96, [.. le.Option(1, "the LAN port"), .. le.Option(2, "eth0"), .. le.Option(3, "LAN"),
                .. le.Option(8, le.U64(1_000_000_000)), .. le.Option(9, [6]), .. le.Option(11, [0, .. "tcp port 80"u8.ToArray()]),
                .. le.Option(12, "Linux 6.1"), .. le.Option(13, [4]), .. le.Option(15, "NIC A"), .. le.Option(10, le.U32(1)),
                .. le.Option(6, [2, 0, 0, 0, 0, 1]), .. le.Option(19372, [.. le.U32(32473), 9]), .. EndianBlocks.End]),
            .. le.InterfaceDescription(1, 0, [.. le.Option(2, "lo"), .. le.Option(9, [9]), .. le.Option(14, le.U64(10)), .. EndianBlocks.End]),
            .. le.NameResolution([10, 0, 0, 1], "one.example", [.. le.Option(1, "names"), .. EndianBlocks.End]),
            .. le.DecryptionSecrets(0x544c534b, "CLIENT_RANDOM 00 11\n"u8.ToArray(), [.. le.Option(1, "keys"), .. EndianBlocks.End]),
            .. le.Custom(copyable: true, 32473, [1, 2, 3, 4]),
            .. le.Custom(copyable: false, 32473, [5, 6, 7, 8]),
            .. le.EnhancedPacket(0, second * 1_000_000 + 1, Frame(96, 0xa1), 150, [.. le.Option(1, "hello"), .. le.Option(2, le.U32(1)),
                .. le.Option(3, md5), .. le.Option(3, [3, 9, 8, 7, 6]), .. le.Option(4, le.U64(7)), .. le.Option(5, le.U64(42)),
                .. le.Option(6, le.U32(3)), .. le.Option(7, [1, .. le.U64(2)]), .. EndianBlocks.End]),
            .. le.SimplePacket(100, Frame(96, 0xa2)),
            .. le.EnhancedPacket(1, (second - 10) * 1_000_000_000 + 5, Frame(200, 0xa3), 200, []),
            .. le.EnhancedPacket(0, second * 1_000_000 + 2, Frame(60, 0xa4), 50, []),
            .. le.Statistics(0, second * 1_000_000 + 3, [.. le.Option(1, "stats"), .. le.Option(4, le.U64(10)), .. le.Option(5, le.U64(1)), .. EndianBlocks.End]),
            .. be.SectionHeader([.. be.Option(1, "second section"), .. be.Option(2, "hw-B"), .. EndianBlocks.End]),
            .. be.InterfaceDescription(1, 128, [.. be.Option(2, "eth1"), .. be.Option(8, be.U64(100_000_000)), .. be.Option(9, [6]),
                .. be.Option(10, be.U32(2)), .. EndianBlocks.End]),
            .. be.EnhancedPacket(0, second * 1_000_000 + 4, Frame(128, 0xb1), 128, [.. be.Option(2, be.U32(2)),
                .. be.Option(6, be.U32(9)), .. be.Option(7, [1, .. be.U64(5)]), .. be.Option(2988, [.. be.U32(32473), .. "y"u8.ToArray()]), .. EndianBlocks.End]),
            .. be.Statistics(0, second * 1_000_000 + 5, [.. be.Option(4, be.U64(20)), .. EndianBlocks.End]),
        ];
    }
}
