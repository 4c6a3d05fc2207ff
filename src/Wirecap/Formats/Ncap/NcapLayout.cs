namespace Wirecap.Formats.Ncap;

/// <summary>Sizes and constants of the NCAP portable format (version 42). All integers are
/// big-endian; only the end of a message is padded.</summary>
internal static class NcapLayout
{
    /// <summary>"NCAP" read as a big-endian 32-bit integer.</summary>
    public const uint Magic = 0x4E434150;
    /// <summary>The only version ncap ever wrote.</summary>
    public const uint Version = 42;
    /// <summary>Length of the file header (magic + version).</summary>
    public const int FileHeaderLength = 8;
    /// <summary>Length of the fixed part of a message.</summary>
    public const int FixedLength = 28;
    /// <summary>Largest fixed part plus unions (IPv6 + TCP).</summary>
    public const int MaxHeaderLength = FixedLength + 32 + 12;
    /// <summary>ncaptool's largest message (64 KiB payload plus headers).</summary>
    public const int NcaptoolMaxMessage = 70000;

    /// <summary>Bytes of the network union.</summary>
    public static int NetworkLength(NcapNetwork network) => network switch
    {
        NcapNetwork.IPv4 => 8,
        NcapNetwork.IPv6 => 32,
        _ => -1,
    };

    /// <summary>Bytes of the transport union.</summary>
    public static int TransportLength(NcapTransport transport) => transport switch
    {
        NcapTransport.Udp => 4,
        NcapTransport.Tcp => 12,
        NcapTransport.Icmp => 2,
        _ => -1,
    };

    /// <summary>Address length of a network union member (4 or 16).</summary>
    public static int AddressLength(NcapNetwork network) => NetworkLength(network) / 2;

    /// <summary>Bytes of padding that make <paramref name="length"/> a multiple of 4.</summary>
    public static int Padding(long length) => (int)((4 - (length & 3)) & 3);
}
