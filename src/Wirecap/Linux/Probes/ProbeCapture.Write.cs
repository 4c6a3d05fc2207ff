using Wirecap.Formats;

namespace Wirecap.Linux.Probes;

public sealed partial class ProbeCapture
{
    /// <summary>
    /// The pcapng interface of a probe: Ethernet, nanosecond timestamps, named after the probe as Retis
    /// names it (<c>raw_tracepoint:net:netif_receive_skb</c>).
    /// </summary>
    public CaptureInterface WriterInterface(ProbeInfo probe) => WriterInterface(probe, SnapLength);

    /// <summary>Writer options for this capture: Ethernet, nanoseconds, and for pcapng one interface per probe (<see cref="WriterInterface(ProbeInfo)"/>).</summary>
    public CaptureWriterOptions WriterOptions(CaptureFormat format) => new()
    {
        LinkType = LinkType.Ethernet,
        SnapLength = SnapLength,
        Precision = TimestampPrecision.Nanosecond,
        Interfaces = format == CaptureFormat.PcapNg ? _probes.Select(p => WriterInterface(p)).ToArray() : [],
    };

    private static CaptureInterface WriterInterface(ProbeInfo probe, int snapLength)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new()
        {
            LinkType = LinkType.Ethernet,
            SnapLength = snapLength,
            Name = probe.Spec.RetisName,
            Description = $"Wirecap probe {probe.Spec} ({probe.Attachment}, {probe.Signature})",
            TimestampResolution = 9,
        };
    }

    /// <summary>
    /// Writes events to <paramref name="writer"/> until <paramref name="maxPackets"/>, <see cref="Stop"/> or
    /// cancellation. A pcapng writer gets one interface per probe, and every packet the comment Retis writes
    /// (<c>probe=raw_tracepoint:net:netif_receive_skb</c>), then <c>drop_reason=NAME</c> at <c>kfree_skb</c>;
    /// a pcap writer (one interface) gets the packets alone. A pcapng writer made with <see cref="WriterOptions"/>
    /// already has the probes' interfaces; others get them added (with the snap length of the file's first
    /// interface, since libpcap wants one snap length per section).
    /// </summary>
    public long CaptureTo(CaptureWriter writer, long maxPackets = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        bool perProbe = writer.Format == CaptureFormat.PcapNg;
        var interfaces = new int[_probes.Length];
        var comments = new IReadOnlyList<string>[_probes.Length];
        for (int i = 0; i < _probes.Length; i++)
        {
            interfaces[i] = perProbe ? InterfaceOf(writer, _probes[i]) : 0;
            comments[i] = [_probes[i].Comment];
        }
        return Capture((in ProbeEvent e) =>
        {
            var record = new PacketRecord(e.Data, e.TimestampNanoseconds, e.OriginalLength, LinkType.Ethernet, interfaces[e.Probe.Id]);
            if (e.DropReason is { } reason) writer.Write(record, [e.Probe.Comment, "drop_reason=" + reason]);
            else writer.Write(record, comments[e.Probe.Id]);
        }, maxPackets, cancellationToken);
    }

    private int InterfaceOf(CaptureWriter writer, ProbeInfo probe)
    {
        var existing = writer.Interfaces;
        for (int i = 0; i < existing.Count; i++)
            if (existing[i].Name == probe.Spec.RetisName && existing[i].LinkType == LinkType.Ethernet) return i;
        return writer.AddInterface(WriterInterface(probe, existing.Count > 0 ? existing[0].SnapLength : SnapLength));
    }
}
