using Wirecap.Decoding;
using Wirecap.Linux.Probes;

namespace Wirecap.Cli;

/// <summary>
/// One line per probe event: the timestamp as -t asks, the probe and interface as Retis prints them
/// (<c>[tp] net:netif_receive_skb if 4 (eth0)</c>), then the packet as tcpdump -n prints it, and the
/// drop reason at kfree_skb. Interface names come from the event's own namespace when it is this
/// process's or the --netns one; elsewhere only the index is known.
/// </summary>
internal sealed class ProbeLineFormatter
{
    private readonly PacketPrinter _withTime;
    private readonly PacketPrinter _withoutTime;
    private readonly Dictionary<uint, IReadOnlyDictionary<int, string>> _names = [];

    public ProbeLineFormatter(ProbeCapture capture, CliOptions options, TimeZoneInfo timeZone)
    {
        var printing = options.PrinterOptions(timeZone);
        _withTime = new PacketPrinter(printing);
        _withoutTime = new PacketPrinter(new PacketPrinterOptions { Timestamps = TimestampStyle.None, Quiet = printing.Quiet });
        TryAdd(NetworkNamespace.Current, null);
        if (capture.NetnsInode is { } inode && options.Netns is { } name) TryAdd(inode, name);
    }

    public string Format(in ProbeEvent e)
    {
        string body = _withoutTime.Format(e.LinkType, e.Data, e.TimestampNanoseconds, e.OriginalLength);
        string full = _withTime.Format(e.LinkType, e.Data, e.TimestampNanoseconds, e.OriginalLength);
        string time = full.EndsWith(body, StringComparison.Ordinal) ? full[..^body.Length] : "";
        string device = _names.TryGetValue(e.NetnsInode, out var names) && names.TryGetValue(e.Ifindex, out var n) ? $" ({n})" : "";
        string drop = e.DropReason is { } reason ? $" drop ({reason})" : "";
        string fake = e.FakeEthernetHeader ? " [no MAC header]" : "";
        return $"{time}{e.Probe.Spec.DisplayName} if {e.Ifindex}{device}{fake} {body.TrimEnd('\n')}{drop}";
    }

    private void TryAdd(uint inode, string? name)
    {
        try
        {
            _names[inode] = NetworkNamespace.InterfaceNames(name);
        }
        catch (ProbeException) { }
    }
}
