namespace Wirecap.Formats;

/// <summary>Options for <see cref="CaptureWriter.Create(Stream, CaptureFormat, CaptureWriterOptions?)"/>.</summary>
public sealed class CaptureWriterOptions
{
    /// <summary>
    /// Link type of the packets: the pcap header's link type, and for pcapng the link type of
    /// the interface created when <see cref="Interfaces"/> is empty. Default Ethernet.
    /// </summary>
    public LinkType LinkType { get; init; } = LinkType.Ethernet;

    /// <summary>
    /// Snap length: packets longer than this are cut (the original length is kept). Default 262144. 0 means the
    /// link type's maximum (<see cref="LinkTypes.MaximumSnapLength"/>), as libpcap reads it; pcap records are
    /// never longer than that maximum, whatever the snap length, since readers refuse them.
    /// </summary>
    public int SnapLength { get; init; } = 262144;

    /// <summary>pcap only: microsecond (default, as tcpdump writes) or nanosecond timestamps.</summary>
    public TimestampPrecision Precision { get; init; } = TimestampPrecision.Microsecond;

    /// <summary>Byte order of the header fields (default: this machine's).</summary>
    public CaptureByteOrder ByteOrder { get; init; } = CaptureByteOrder.Native;

    /// <summary>pcap only: the FCS length in bytes to declare in the header's FCS bits (even, 0-30); null declares none.</summary>
    public int? FcsLength { get; init; }

    /// <summary>
    /// pcapng: the interfaces to describe at the start of the file (more can be added with
    /// <see cref="CaptureWriter.AddInterface"/>). pcap: at most one, used instead of
    /// <see cref="LinkType"/> and <see cref="SnapLength"/>. Empty means one interface from
    /// <see cref="LinkType"/> and <see cref="SnapLength"/>.
    /// </summary>
    public IReadOnlyList<CaptureInterface> Interfaces { get; init; } = [];

    /// <summary>pcapng shb_userappl: the application that wrote the file (default "Wirecap").</summary>
    public string? Application { get; init; } = "Wirecap";

    /// <summary>pcapng shb_hardware; null to omit.</summary>
    public string? Hardware { get; init; }

    /// <summary>pcapng shb_os; null to omit.</summary>
    public string? OperatingSystem { get; init; }

    /// <summary>pcapng opt_comment values of the section header.</summary>
    public IReadOnlyList<string> SectionComments { get; init; } = [];

    /// <summary>pcapng: other options of the section header (custom options), see <see cref="CaptureOption"/>.</summary>
    public IReadOnlyList<CaptureOption> SectionOptions { get; init; } = [];

    /// <summary>Leave the stream open when the writer is disposed (default false).</summary>
    public bool LeaveOpen { get; init; }

    /// <summary>Size of the write buffer in bytes (default 256 KiB).</summary>
    public int BufferSize { get; init; } = 256 * 1024;

    internal bool BigEndian => ByteOrder switch
    {
        CaptureByteOrder.BigEndian => true,
        CaptureByteOrder.LittleEndian => false,
        _ => !BitConverter.IsLittleEndian,
    };
}
