namespace Wirecap.Formats;

/// <summary>Options for <see cref="CaptureReader.Open(Stream, CaptureReaderOptions?)"/>.</summary>
public sealed class CaptureReaderOptions
{
    /// <summary>The hard limit on a record's captured length, whatever the file's snap length says: 256 MiB.</summary>
    public const int DefaultMaxPacketLength = 256 * 1024 * 1024;

    /// <summary>
    /// Records claiming more captured bytes than this are rejected as malformed
    /// (default and upper bound <see cref="DefaultMaxPacketLength"/>).
    /// </summary>
    public int MaxPacketLength { get; init; } = DefaultMaxPacketLength;

    /// <summary>Initial size of the read buffer in bytes (default 1 MiB); it grows for larger records.</summary>
    public int BufferSize { get; init; } = 1024 * 1024;

    /// <summary>Leave the stream open when the reader is disposed (default false).</summary>
    public bool LeaveOpen { get; init; }

    internal int EffectiveMaxPacketLength => MaxPacketLength is > 0 and <= DefaultMaxPacketLength ? MaxPacketLength : DefaultMaxPacketLength;
}
