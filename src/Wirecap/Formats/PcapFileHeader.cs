namespace Wirecap.Formats;

/// <summary>Layout constants of the classic pcap format.</summary>
internal static class PcapFileHeader
{
    public const int Size = 24;
    public const int RecordHeaderSize = 16;
    public const uint MicrosecondMagic = 0xa1b2c3d4;
    public const uint NanosecondMagic = 0xa1b23c4d;
    public const ushort VersionMajor = 2;
    public const ushort VersionMinor = 4;

    // The 32-bit link-type field: link type in the low 16 bits, bits 16-25 reserved (zero),
    // bit 26 says an FCS length is present, bits 28-31 hold it in 16-bit words.
    public const uint LinkTypeMask = 0x0000ffff;
    public const uint ReservedMask = 0x03ff0000;
    public const uint FcsPresentBit = 0x04000000;
    public const int FcsShift = 28;
}
