using System.Runtime.CompilerServices;
using Wirecap.Filter;
using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>
/// The command line's filter over records read from a file — the same for printing, copying with -w, -U and
/// rotation: a <see cref="PacketFilter"/> per link type met in the input (a pcapng file may mix them). An expression
/// only selects records, as tcpdump -r does; a --bpf-file's result also cuts them, as a socket filter's does.
/// </summary>
internal sealed class CliRecordFilter
{
    private readonly Func<LinkType, PacketFilter> _create;
    private readonly bool _cuts;
    private readonly Dictionary<LinkType, PacketFilter> _byLinkType = [];
    private PacketFilter _last;

    private CliRecordFilter(Func<LinkType, PacketFilter> create, bool cuts, LinkType first)
    {
        _create = create;
        _cuts = cuts;
        // Built for the first link type at once, so a bad expression is reported before any packet is read, as tcpdump does.
        _last = Create(first);
    }

    /// <summary>The filter the options ask for over the records of <paramref name="reader"/>, or null when none was
    /// given. It is built at once for the first interface's link type (else -y's, else Ethernet).</summary>
    /// <exception cref="CliFilterException">A --bpf-file cannot be read or holds a broken program or expression.</exception>
    /// <exception cref="FilterException">The expression does not compile for that link type.</exception>
    public static CliRecordFilter? From(CliOptions options, CaptureReader reader)
    {
        var interfaces = reader.Interfaces;
        var first = interfaces.Count > 0 ? interfaces[0].LinkType : options.LinkTypeOverride ?? LinkType.Ethernet;
        int snapLength = interfaces.Count > 0 && interfaces[0].SnapLength > 0 ? interfaces[0].SnapLength : LinkTypes.UsualMaximumSnapLength;
        if (options.BpfFile is not null)
        {
            var program = CliFilter.Program(options, first)!;
            return new CliRecordFilter(linkType => PacketFilter.Create(program, linkType), cuts: true, first);
        }
        if (options.Expression is not { } expression)
            return null;
        var compile = new PacketFilterOptions { Compiler = new FilterOptions { Snaplen = (uint)snapLength, Optimize = !options.NoOptimize } };
        return new CliRecordFilter(linkType => PacketFilter.Create(expression, linkType, compile), cuts: false, first);
    }

    /// <summary>
    /// Whether to keep the current record of <paramref name="reader"/> (every record when <paramref name="filter"/> is null);
    /// <paramref name="record"/> is the record as kept. A plain record is filtered over its bytes before it is built:
    /// building each one cost more than the filter (bench/README.md, "Issue 13").
    /// </summary>
    public static bool TryKeep(CliRecordFilter? filter, CaptureReader reader, out PacketRecord record)
    {
        if (filter is null || !reader.TryGetPlainCurrent(out var data, out var linkType, out int originalLength))
            return BuiltThenFiltered(filter, reader, out record);
        uint result = filter.For(linkType).Run(data, originalLength);
        if (result == 0)
        {
            record = default;
            return false;
        }
        return Built(reader, filter._cuts && result < (uint)data.Length ? (int)result : -1, out record);
    }

    // The kept record, cut to cutLength unless it is negative; this and the next are apart from TryKeep so that
    // the records they build do not enlarge (and zero) its frame on every dropped packet.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Built(CaptureReader reader, int cutLength, out PacketRecord record)
    {
        record = cutLength < 0 ? reader.Current : reader.Current.Cut(cutLength);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool BuiltThenFiltered(CliRecordFilter? filter, CaptureReader reader, out PacketRecord record)
    {
        record = reader.Current;
        return filter is null || filter.TryKeep(ref record);
    }

    /// <summary>Whether to keep <paramref name="record"/>; when a program's result cuts it, <paramref name="record"/> becomes the record as kept.</summary>
    /// <exception cref="FilterException">The expression does not compile for the record's link type.</exception>
    private bool TryKeep(ref PacketRecord record)
    {
        var filter = For(record.LinkType);
        // A record split across two pipe segments (standard input) is filtered in place, not gathered first.
        uint result = record.IsMultiSegment ? filter.Run(record.Segments, record.OriginalLength) : filter.Run(record.Data, record.OriginalLength);
        // Reassigned only when cut: copying the record on every packet was a measurable part of a filtered copy.
        if (_cuts && result != 0 && result < (uint)record.Length)
            record = record.Cut((int)result);
        return result != 0;
    }

    private PacketFilter For(LinkType linkType) => _last.LinkType == linkType ? _last : _last = Create(linkType);

    private PacketFilter Create(LinkType linkType)
    {
        if (!_byLinkType.TryGetValue(linkType, out var filter))
            _byLinkType[linkType] = filter = _create(linkType);
        return filter;
    }
}
