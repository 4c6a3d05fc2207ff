namespace Wirecap.Formats;

/// <summary>
/// Copies the records of a <see cref="CaptureReader"/> into a <see cref="CaptureWriter"/> without losing what the
/// output format can hold: every section is merged into the writer's one, with one output interface per input
/// (section, interface), each with its snap length and options (and a later section's hardware, OS and application,
/// which the one section header cannot hold, on its interfaces); interface statistics, name resolution, decryption
/// secrets and copyable custom blocks are written where they stood among the packets; each record keeps its options
/// (or stays a simple packet block). A pcap output keeps every packet's bytes (its snap length is the largest of
/// the input's, see <see cref="WriterOptions"/>); blocks it cannot hold are counted in <see cref="BlocksNotCopied"/>.
/// </summary>
/// <example><code>
/// using var reader = CaptureReader.Open("in.pcapng");
/// using var writer = CaptureWriter.Create("out.pcapng", CaptureFormat.PcapNg, CaptureCopier.WriterOptions(reader, CaptureFormat.PcapNg));
/// var copy = new CaptureCopier(reader, writer);
/// while (reader.Read()) copy.Write(reader.Current);
/// copy.Complete();
/// </code></example>
public sealed class CaptureCopier
{
    private readonly CaptureWriter _writer;
    private readonly CaptureInterfaceMap _map;
    // The output interfaces the writer described when it was created, which the input's first ones stand for.
    private readonly int _describedAtStart;
    private readonly bool _pcapNg;
    // The section the output's header copies, and the one of the blocks being written.
    private CaptureSection? _firstSection, _section;

    /// <summary>Prepares a copy from <paramref name="reader"/>'s current position; <paramref name="writer"/> is expected to
    /// describe (as <see cref="WriterOptions"/> makes it) the interfaces the reader has met so far, or none of them.</summary>
    /// <exception cref="ArgumentException">The writer is neither pcap nor pcapng.</exception>
    public CaptureCopier(CaptureReader reader, CaptureWriter writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        if (writer is not (PcapNgWriter or PcapWriter))
            throw new ArgumentException($"a copy writes pcap or pcapng, not {writer.Format}", nameof(writer));
        _writer = writer;
        _map = new CaptureInterfaceMap(reader);
        _pcapNg = writer is PcapNgWriter;
        _describedAtStart = _pcapNg ? writer.Interfaces.Count : int.MaxValue;
    }

    /// <summary>Blocks the output cannot hold (statistics, name resolution, secrets and custom blocks in pcap; custom
    /// blocks marked not to be copied) that were left out.</summary>
    public long BlocksNotCopied { get; private set; }

    /// <summary>Writes the blocks the reader met since the last call, then <paramref name="record"/> on its output interface.</summary>
    /// <exception cref="InvalidOperationException">pcap output: the record is longer than the snap length already written in
    /// the file's header (an interface described after the start had a larger one; write pcapng, or pass every interface to
    /// <see cref="WriterOptions"/>).</exception>
    /// <exception cref="ArgumentException">pcap output: the record's link type differs from the file's.</exception>
    public void Write(in PacketRecord record)
    {
        WriteNewBlocks();
        if (_writer is PcapWriter pcap)
        {
            if (record.Length > pcap.SnapLength)
                throw new InvalidOperationException(
                    $"a packet of {record.Length} bytes is longer than the snap length {pcap.SnapLength} this pcap file's header already declares; write pcapng, or read the whole input first (CaptureCopier.WriterOptions with every block)");
            if (record.LinkType != pcap.Interfaces[0].LinkType)
                throw new ArgumentException($"a packet has link type {record.LinkType}, but a pcap file holds one link type ({pcap.Interfaces[0].LinkType}); write pcapng instead", nameof(record));
            if (record.InterfaceId == 0) _writer.Write(record);
            else _writer.Write(record.OnInterface(0));
            return;
        }
        int output = _map.OutputInterface(record.InterfaceId);
        _writer.Write(output == record.InterfaceId ? record : record.OnInterface(output));
    }

    /// <summary>Writes the blocks the reader met after the last record (call once it has returned false).</summary>
    public void Complete() => WriteNewBlocks();

    private void WriteNewBlocks()
    {
        while (_map.MoveNext(out var block))
        {
            switch (block)
            {
                case CaptureSection section:
                    _firstSection ??= section; // merged into the writer's section (see WriterOptions)
                    _section = section;
                    break;
                case CaptureInterface described when _pcapNg:
                    if (_map.InterfaceCount > _describedAtStart) _writer.AddInterface(SectionOptionsOnInterfaces.Carry(described, _section, _firstSection));
                    break;
                case CaptureInterface:
                    break; // pcap: every interface is the header's one (the link type and snap length are checked per packet)
                case InterfaceStatistics statistics when _pcapNg:
                    _writer.WriteStatistics(OnInterface(statistics, _map.AtCurrentBlock(statistics.InterfaceId)));
                    break;
                case NameResolutionBlock names when _pcapNg:
                    _writer.WriteNameResolution(names);
                    break;
                case DecryptionSecrets secrets when _pcapNg:
                    _writer.WriteDecryptionSecrets(secrets);
                    break;
                case CustomBlock custom when _pcapNg && custom.IsCopyable:
                    _writer.WriteCustomBlock(custom);
                    break;
                default:
                    BlocksNotCopied++;
                    break;
            }
        }
    }

    private static InterfaceStatistics OnInterface(InterfaceStatistics s, int interfaceId) => s.InterfaceId == interfaceId ? s : new()
    {
        InterfaceId = interfaceId,
        TimestampNanoseconds = s.TimestampNanoseconds,
        StartTimeNanoseconds = s.StartTimeNanoseconds,
        EndTimeNanoseconds = s.EndTimeNanoseconds,
        ReceivedByInterface = s.ReceivedByInterface,
        DroppedByInterface = s.DroppedByInterface,
        AcceptedByFilter = s.AcceptedByFilter,
        DroppedByOs = s.DroppedByOs,
        DeliveredToUser = s.DeliveredToUser,
        Comments = s.Comments,
        OtherOptions = s.OtherOptions,
    };

    /// <summary>
    /// Writer options that carry over what <paramref name="reader"/> has read so far (its header), or all of
    /// <paramref name="wholeInput"/> (every block of the input, from <see cref="ReadBlocks"/>) when given. pcapng: the first
    /// section's hardware, OS, application and other options, every section's comments, and the interfaces met so far
    /// (every one of <paramref name="wholeInput"/>, all described at the start), those of a later section with what its
    /// header says beyond the first's (<c>if_hardware</c>, <c>if_os</c> or a comment).
    /// pcap: the first interface's link type and FCS length; the snap length that is the largest of every interface's
    /// (0 counting as the link type's maximum), so that no packet is cut; nanosecond timestamps when an input
    /// interface records finer ones than microseconds (or when <paramref name="precision"/> asks).
    /// </summary>
    public static CaptureWriterOptions WriterOptions(CaptureReader reader, CaptureFormat format,
        IReadOnlyList<CaptureBlock>? wholeInput = null, TimestampPrecision precision = TimestampPrecision.Microsecond)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var blocks = wholeInput ?? reader.Blocks;
        var interfaces = blocks.OfType<CaptureInterface>().ToList();
        var first = interfaces.Count > 0 ? interfaces[0] : reader.Interfaces.Count > 0 ? reader.Interfaces[0] : new CaptureInterface();
        if (format == CaptureFormat.PcapNg)
        {
            var sections = blocks.OfType<CaptureSection>().ToList();
            var section = sections.Count > 0 ? sections[0] : null;
            return new CaptureWriterOptions
            {
                LinkType = first.LinkType,
                SnapLength = first.SnapLength,
                Interfaces = wholeInput is null ? [.. reader.Interfaces] : InterfacesWithSectionOptions(blocks),
                Hardware = section?.Hardware,
                OperatingSystem = section?.OperatingSystem,
                Application = section is null ? "Wirecap" : section.Application,
                SectionComments = [.. sections.SelectMany(s => s.Comments)],
                SectionOptions = section?.OtherOptions ?? [],
            };
        }
        var widest = first;
        foreach (var candidate in interfaces)
            if (LinkTypes.EffectiveSnapLength(candidate.LinkType, candidate.SnapLength) > LinkTypes.EffectiveSnapLength(widest.LinkType, widest.SnapLength))
                widest = candidate;
        bool finer = interfaces.Exists(i => FinerThanMicroseconds(i.TimestampResolution));
        return new CaptureWriterOptions
        {
            LinkType = first.LinkType,
            SnapLength = widest.SnapLength,
            FcsLength = first.FcsLength is { } fcs && fcs % 2 == 0 && fcs <= 30 && reader.Format == CaptureFormat.Pcap ? fcs : null,
            Precision = finer ? TimestampPrecision.Nanosecond : precision,
        };
    }

    /// <summary>Every interface of <paramref name="blocks"/>, each with what its section says beyond the first section
    /// (<see cref="SectionOptionsOnInterfaces"/>).</summary>
    private static List<CaptureInterface> InterfacesWithSectionOptions(IReadOnlyList<CaptureBlock> blocks)
    {
        CaptureSection? first = null, section = null;
        var interfaces = new List<CaptureInterface>();
        foreach (var block in blocks)
        {
            if (block is CaptureSection s) (first, section) = (first ?? s, s);
            else if (block is CaptureInterface described) interfaces.Add(SectionOptionsOnInterfaces.Carry(described, section, first));
        }
        return interfaces;
    }

    /// <summary>Reads a capture file to its end and returns every block of it (<see cref="CaptureReader.Blocks"/>), for
    /// <see cref="WriterOptions"/> to see the whole input before writing.</summary>
    public static IReadOnlyList<CaptureBlock> ReadBlocks(string path)
    {
        using var scan = CaptureReader.Open(path);
        while (scan.Read()) { }
        return scan.Blocks;
    }

    private static bool FinerThanMicroseconds(byte resolution) =>
        (resolution & 0x80) == 0 ? resolution > 6 : (resolution & 0x7f) > 19;
}
