using System.Buffers.Binary;

namespace Wirecap.Formats.Ncap;

/// <summary>Finds message boundaries in an NCAP byte stream, over whatever the input has
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

    /// <summary>Looks at what <paramref name="input"/> has buffered, consuming file headers and
    /// skipped messages. Returns 0 when a checked message of <paramref name="length"/> bytes starts
    /// at the input's first unconsumed byte; otherwise how many bytes must be buffered to go on.</summary>
    /// <exception cref="CaptureFormatException">A header or message is malformed.</exception>
    public int Next(InputBuffer input, out int length)
    {
        length = 0;
        while (true)
        {
            if (_skipRemaining > 0)
            {
                int take = (int)Math.Min(input.Length, _skipRemaining);
                input.Advance(take);
                _skipRemaining -= take;
                if (_skipRemaining > 0) return 1;
                continue;
            }
            long at = input.Offset;
            if (!_headerSeen)
            {
                if (input.Length < NcapLayout.FileHeaderLength) return NcapLayout.FileHeaderLength;
                CheckFileHeader(input.Peek(0, NcapLayout.FileHeaderLength), at);
                _headerSeen = true;
                input.Advance(NcapLayout.FileHeaderLength);
                continue;
            }
            if (input.Length < 4) return 4;
            uint messageLength = BinaryPrimitives.ReadUInt32BigEndian(input.Peek(0, 4));
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
            if (input.Length < messageLength) return (int)messageLength;
            if (!NcapMessageDecoder.TryDecode(input.Contiguous(0, (int)messageLength), out _, out var error, out int errorOffset))
                throw NcapErrors.Malformed(at + errorOffset, error!);
            length = (int)messageLength;
            return 0;
        }
    }

    /// <summary>Called when the data ended with what <paramref name="input"/> still holds
    /// unconsumed: returns false for a clean end, throws otherwise.</summary>
    public bool AtEnd(InputBuffer input)
    {
        long offset = input.Offset;
        int buffered = input.Length;
        if (_skipRemaining > 0)
            throw NcapErrors.Malformed(offset, $"the data ends {_skipRemaining} bytes before the end of an oversized message being skipped");
        if (!_headerSeen)
            throw NcapErrors.Malformed(offset, buffered == 0 && offset == 0
                ? "empty stream: no NCAP file header"
                : $"truncated file header: {buffered} of 8 bytes");
        if (buffered == 0) return false;
        if (buffered < 4)
            throw NcapErrors.Malformed(offset, $"truncated message: {buffered} bytes where a 4-byte length was expected");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(input.Peek(0, 4));
        throw NcapErrors.Malformed(offset, $"truncated message: length {length} but only {buffered} bytes remain");
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
