using K = Wirecap.Formats.PcapNgOptionKind;

namespace Wirecap.Formats;

/// <summary>The options of every pcapng block but packets, one table per block type: what the writer writes and the
/// reader reads, in the order written (see <see cref="PcapNgOptionTable{T}"/>).</summary>
internal static class PcapNgBlockOptions
{
    public static readonly PcapNgOptionTable<CaptureWriterOptions> Section = new(
        PcapNgBlockType.SectionHeader, o => o.SectionComments, o => o.SectionOptions,
        new(PcapNgOption.ShbHardware, K.Utf8, o => o.Hardware),
        new(PcapNgOption.ShbOs, K.Utf8, o => o.OperatingSystem),
        new(PcapNgOption.ShbUserApplication, K.Utf8, o => o.Application));

    public static readonly PcapNgOptionTable<CaptureInterface> Interface = new(
        PcapNgBlockType.InterfaceDescription, i => i.Comments, i => i.OtherOptions,
        new(PcapNgOption.IfName, K.Utf8, i => i.Name),
        new(PcapNgOption.IfDescription, K.Utf8, i => i.Description),
        new(PcapNgOption.IfSpeed, K.UInt64, i => i.Speed),
        new(PcapNgOption.IfTsResol, K.Byte, i => i.TimestampResolution), // always written: readers assume 6 without it
        new(PcapNgOption.IfFilter, K.Filter, i => i.Filter),
        new(PcapNgOption.IfOs, K.Utf8, i => i.OperatingSystem),
        new(PcapNgOption.IfFcsLen, K.Byte, i => i.FcsLength is { } fcs ? (byte)fcs : null),
        new(PcapNgOption.IfTsOffset, K.UInt64, i => i.TimestampOffset != 0 ? (ulong)i.TimestampOffset : null),
        new(PcapNgOption.IfHardware, K.Utf8, i => i.Hardware));

    /// <summary>Statistics with the interface they count, whose clock their timestamps are written in.</summary>
    public readonly record struct CountedInterface(InterfaceStatistics Statistics, CaptureInterface Interface);

    public static readonly PcapNgOptionTable<CountedInterface> Statistics = new(
        PcapNgBlockType.InterfaceStatistics, s => s.Statistics.Comments, s => s.Statistics.OtherOptions,
        new(PcapNgOption.IsbStartTime, K.Timestamp, s => Units(s.Statistics.StartTimeNanoseconds, s.Interface)),
        new(PcapNgOption.IsbEndTime, K.Timestamp, s => Units(s.Statistics.EndTimeNanoseconds, s.Interface)),
        new(PcapNgOption.IsbIfRecv, K.UInt64, s => s.Statistics.ReceivedByInterface),
        new(PcapNgOption.IsbIfDrop, K.UInt64, s => s.Statistics.DroppedByInterface),
        new(PcapNgOption.IsbFilterAccept, K.UInt64, s => s.Statistics.AcceptedByFilter),
        new(PcapNgOption.IsbOsDrop, K.UInt64, s => s.Statistics.DroppedByOs),
        new(PcapNgOption.IsbUsrDeliv, K.UInt64, s => s.Statistics.DeliveredToUser));

    public static readonly PcapNgOptionTable<NameResolutionBlock> NameResolution = new(
        PcapNgBlockType.NameResolution, n => n.Comments, n => n.OtherOptions);

    public static readonly PcapNgOptionTable<DecryptionSecrets> DecryptionSecrets = new(
        PcapNgBlockType.DecryptionSecrets, d => d.Comments, d => d.OtherOptions);

    private static ulong? Units(long? nanoseconds, CaptureInterface iface) =>
        nanoseconds is { } ns ? PcapNgWriter.ToUnits(ns, iface, "statistics") : null;
}
