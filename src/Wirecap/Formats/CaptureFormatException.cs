namespace Wirecap.Formats;

/// <summary>
/// Thrown for malformed capture input: a bad magic number, a length field that overruns the
/// data or exceeds what the header allows, a truncated record. The message names the format,
/// the byte offset in the stream and the problem. Every malformed input raises this type and
/// no other; errors from the underlying stream (I/O) pass through unchanged.
/// </summary>
public sealed class CaptureFormatException : Exception
{
    /// <summary>Creates the exception for a problem found in <paramref name="format"/> data at <paramref name="offset"/>.</summary>
    /// <param name="format">The format being read.</param>
    /// <param name="offset">Byte offset, from the start of the stream, of the structure at fault.</param>
    /// <param name="problem">What is wrong, in a few words.</param>
    public CaptureFormatException(CaptureFormat format, long offset, string problem)
        : base($"{FormatName(format)}: at byte offset {offset}: {problem}")
    {
        Format = format;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The format being read when the problem was found.</summary>
    public CaptureFormat Format { get; }

    /// <summary>Byte offset from the start of the stream of the structure at fault.</summary>
    public long Offset { get; }

    /// <summary>The problem alone, without format and offset.</summary>
    public string Problem { get; }

    private static string FormatName(CaptureFormat format) => format switch
    {
        CaptureFormat.Pcap => "pcap",
        CaptureFormat.PcapNg => "pcapng",
        CaptureFormat.Ncap => "ncap",
        _ => "capture file",
    };
}
