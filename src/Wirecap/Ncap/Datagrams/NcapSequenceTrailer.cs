using System.Buffers.Binary;

namespace Wirecap.Ncap;

/// <summary>The optional 8 bytes a datagram carries after its NCAP message: "Nseq" and the
/// sender's big-endian message counter. They lie beyond the message's length field, where ncap
/// receivers accept (and ignore) trailing bytes.</summary>
internal static class NcapSequenceTrailer
{
    /// <summary>"Nseq" read as a big-endian 32-bit integer.</summary>
    public const uint Magic = 0x4E736571;

    /// <summary>Length of the trailer.</summary>
    public const int Length = 8;

    /// <summary>Writes the trailer for <paramref name="sequence"/>.</summary>
    public static void Write(Span<byte> destination, uint sequence)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], sequence);
    }

    /// <summary>Reads a trailer when <paramref name="afterMessage"/> (the datagram's bytes after the
    /// message) is exactly one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> afterMessage, out uint sequence)
    {
        if (afterMessage.Length == Length && BinaryPrimitives.ReadUInt32BigEndian(afterMessage) == Magic)
        {
            sequence = BinaryPrimitives.ReadUInt32BigEndian(afterMessage[4..]);
            return true;
        }
        sequence = 0;
        return false;
    }
}
