using System.Buffers.Binary;

namespace Wirecap.Formats.Ncap;

/// <summary>Finds message boundaries in an NCAP byte stream, over whatever the caller has
/// buffered: file headers (also in mid-stream), messages above the size limit (read through and
/// counted), and ncap's sanity checks on each message. Shared by <see cref="NcapReader"/> and the
/// NCAP branch of <see cref="CaptureReader"/>.</summary>
internal sealed class NcapFraming(int maxMessageLength)
{
    private bool _headerSeen;
    private long _skipRemaining;

    /// <summary>Messages read through because they exceed the limit.</summary>
    public long SkippedMessages { get; private set; }

    /// <summary>True between messages, where the stream may end cleanly.</summary>
    public bool AtBoundary => _headerSeen && _skipRemaining == 0;

    /// <summary>Looks at <paramref name="buffered"/> (which starts at stream offset
    /// <paramref name="offset"/>). The caller first drops <paramref name="skip"/> bytes (headers
    /// and skipped messages); then, when 0 is returned, a checked message of
    /// <paramref name="length"/> bytes starts there; otherwise the return value is how many bytes
    /// must be buffered (after the skip) to go on.</summary>
    /// <exception cref="CaptureFormatException">A header or message is malformed.</exception>
    public int Next(ReadOnlySpan<byte> buffered, long offset, out int skip, out int length)
    {
        skip = 0;
        length = 0;
        while (true)
        {
            var rest = buffered[skip..];
            long at = offset + skip;
            if (_skipRemaining > 0)
            {
                int take = (int)Math.Min(rest.Length, _skipRemaining);
                skip += take;
                _skipRemaining -= take;
                if (_skipRemaining > 0) return 1;
                continue;
            }
            if (!_headerSeen)
            {
                if (rest.Length < NcapLayout.FileHeaderLength) return NcapLayout.FileHeaderLength;
                CheckFileHeader(rest, at);
                _headerSeen = true;
                skip += NcapLayout.FileHeaderLength;
                continue;
            }
            if (rest.Length < 4) return 4;
            uint messageLength = BinaryPrimitives.ReadUInt32BigEndian(rest);
            if (messageLength == NcapLayout.Magic)
            {
                // A file header in mid-stream: concatenated files, or a datagram feed saved to a file.
                _headerSeen = false;
                continue;
            }
            if (messageLength < NcapLayout.FixedLength)
                throw NcapErrors.Malformed(at, $"message length {messageLength} is shorter than the {NcapLayout.FixedLength}-byte fixed part");
            if (messageLength > (uint)maxMessageLength)
            {
                _skipRemaining = messageLength;
                SkippedMessages++;
                continue;
            }
            if (rest.Length < messageLength) return (int)messageLength;
            if (!NcapMessageDecoder.TryDecode(rest[..(int)messageLength], out _, out var error, out int errorOffset))
                throw NcapErrors.Malformed(at + errorOffset, error!);
            length = (int)messageLength;
            return 0;
        }
    }

    /// <summary>Called when the stream ended with <paramref name="buffered"/> unconsumed bytes
    /// at <paramref name="offset"/>: returns false for a clean end, throws otherwise.</summary>
    public bool AtEnd(ReadOnlySpan<byte> buffered, long offset)
    {
        if (_skipRemaining > 0)
            throw NcapErrors.Malformed(offset, $"the data ends {_skipRemaining} bytes before the end of an oversized message being skipped");
        if (!_headerSeen)
            throw NcapErrors.Malformed(offset, buffered.IsEmpty && offset == 0
                ? "empty stream: no NCAP file header"
                : $"truncated file header: {buffered.Length} of 8 bytes");
        if (buffered.IsEmpty) return false;
        if (buffered.Length < 4)
            throw NcapErrors.Malformed(offset, $"truncated message: {buffered.Length} bytes where a 4-byte length was expected");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(buffered);
        throw NcapErrors.Malformed(offset, $"truncated message: length {length} but only {buffered.Length} bytes remain");
    }

    private static void CheckFileHeader(ReadOnlySpan<byte> header, long at)
    {
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magic != NcapLayout.Magic)
            throw NcapErrors.Malformed(at, $"bad magic 0x{magic:x8}, expected \"NCAP\" (0x{NcapLayout.Magic:x8})");
        uint version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (version != NcapLayout.Version)
            throw NcapErrors.Malformed(at + 4, $"unsupported version {version}, expected {NcapLayout.Version}");
    }
}
