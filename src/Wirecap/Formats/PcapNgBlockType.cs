namespace Wirecap.Formats;

/// <summary>pcapng block type codes and option codes (draft-ietf-opsawg-pcapng).</summary>
internal static class PcapNgBlockType
{
    public const uint SectionHeader = 0x0A0D0D0A;
    public const uint InterfaceDescription = 1;
    public const uint ObsoletePacket = 2;
    public const uint SimplePacket = 3;
    public const uint NameResolution = 4;
    public const uint InterfaceStatistics = 5;
    public const uint EnhancedPacket = 6;
    public const uint DecryptionSecrets = 0x0A;
    public const uint Custom = 0x00000BAD;
    public const uint CustomNoCopy = 0x40000BAD;

    public const uint ByteOrderMagic = 0x1A2B3C4D;
    public const int BlockOverhead = 12;      // type, total length, trailing total length
    public const int SectionHeaderMinimum = 28;
    public const int InterfaceDescriptionMinimum = 20;
    public const int EnhancedPacketMinimum = 32;
    public const int ObsoletePacketMinimum = 32;
    public const int SimplePacketMinimum = 16;
    public const int InterfaceStatisticsMinimum = 24;
    public const int NameResolutionMinimum = 12;
}

/// <summary>pcapng option codes, per block type (code 1 is opt_comment everywhere).</summary>
internal static class PcapNgOption
{
    public const ushort ShbHardware = 2;
    public const ushort ShbOs = 3;
    public const ushort ShbUserApplication = 4;

    public const ushort IfName = 2;
    public const ushort IfDescription = 3;
    public const ushort IfSpeed = 8;
    public const ushort IfTsResol = 9;
    public const ushort IfTzone = 10;
    public const ushort IfFilter = 11;
    public const ushort IfOs = 12;
    public const ushort IfFcsLen = 13;
    public const ushort IfTsOffset = 14;
    public const ushort IfHardware = 15;
    public const ushort IfTxSpeed = 16;
    public const ushort IfRxSpeed = 17;

    public const ushort EpbFlags = 2;
    public const ushort EpbHash = 3;
    public const ushort EpbDropCount = 4;
    public const ushort EpbPacketId = 5;
    public const ushort EpbQueue = 6;
    public const ushort EpbVerdict = 7;

    public const ushort IsbStartTime = 2;
    public const ushort IsbEndTime = 3;
    public const ushort IsbIfRecv = 4;
    public const ushort IsbIfDrop = 5;
    public const ushort IsbFilterAccept = 6;
    public const ushort IsbOsDrop = 7;
    public const ushort IsbUsrDeliv = 8;

    public const ushort CustomString = 2988;
    public const ushort CustomBinary = 2989;
    public const ushort CustomNoCopyString = 19372;
    public const ushort CustomNoCopyBinary = 19373;

    public const ushort NrbEnd = 0;
    public const ushort NrbIpv4 = 1;
    public const ushort NrbIpv6 = 2;
}
