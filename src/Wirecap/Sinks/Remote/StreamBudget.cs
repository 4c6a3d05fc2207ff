using Wirecap.Formats;

namespace Wirecap.Sinks;

/// <summary>One stream's share of the collector's limits: before each block an upper bound of its size is checked
/// against the stream's limit and reserved from the directory's quota; after it, the reservation is settled to the
/// bytes the writer really produced (<see cref="CaptureWriter.Position"/>, buffered bytes included).</summary>
internal sealed class StreamBudget(CollectorQuota directory, long? streamLimit)
{
    // Section header block with the application option, and slack for the format's fixed parts.
    public const long HeaderBytes = 512;
    private long _settled, _pending;

    /// <summary>Reserves room for the file's header from the directory; false when the directory is full.</summary>
    public bool TryAdmit()
    {
        if (!directory.TryReserve(HeaderBytes)) return false;
        _pending += HeaderBytes;
        return true;
    }

    /// <summary>Reserves <paramref name="bytes"/> more for the file, now at <paramref name="position"/>; null, or why not.</summary>
    public CollectorLimitException? TryReserve(long bytes, long position)
    {
        if (streamLimit is { } limit && position + _pending + bytes > limit)
            return new CollectorLimitException(CollectorLimit.StreamBytes, $"stream cut at its limit of {limit} bytes");
        if (!directory.TryReserve(bytes))
            return new CollectorLimitException(CollectorLimit.DirectoryBytes, $"stream cut: the directory reached its limit of {directory.Limit} bytes");
        _pending += bytes;
        return null;
    }

    /// <summary>The file is now <paramref name="position"/> bytes long: what was reserved and not used goes back.</summary>
    public void Settle(long position)
    {
        directory.Adjust(position - _settled - _pending);
        _settled = position;
        _pending = 0;
    }

    /// <summary>Most bytes an enhanced packet block (or a pcap record) for <paramref name="record"/> takes.</summary>
    public static long RecordBytes(in PacketRecord record)
    {
        // 32 bytes of block and fixed fields; flags, drop count, packet id and end of options 36; hash 4 + value.
        long bytes = 32 + Align(record.Data.Length) + 36 + 4 + Align(record.Hash.Length);
        foreach (var comment in record.Comments) bytes += 4 + Align(comment.Length);
        return bytes;
    }

    /// <summary>Most bytes an interface description block for <paramref name="captureInterface"/> takes.</summary>
    public static long InterfaceBytes(CaptureInterface captureInterface)
    {
        long bytes = 20 + 8 + 12 + 8 + 4; // block and fixed fields, tsresol, tsoffset, fcslen, end of options
        bytes += Text(captureInterface.Name) + Text(captureInterface.Description);
        foreach (var comment in captureInterface.Comments) bytes += Text(comment);
        return bytes;
    }

    private static long Text(string? text) => text is null ? 0 : 4 + Align(System.Text.Encoding.UTF8.GetByteCount(text));

    private static long Align(long length) => (length + 3) & ~3L;
}
