using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>The fixed 12-byte header of a DNS message (RFC 1035 §4.1.1), read in place.</summary>
public readonly ref struct DnsHeader
{
    /// <summary>Size of the header.</summary>
    public const int Length = 12;

    private readonly ReadOnlySpan<byte> _bytes;

    private DnsHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Reads the header at the start of <paramref name="message"/>; false when it is shorter than 12 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out DnsHeader header)
    {
        header = message.Length >= Length ? new DnsHeader(message) : default;
        return message.Length >= Length;
    }

    /// <summary>Message id.</summary>
    public ushort Id => BinaryPrimitives.ReadUInt16BigEndian(_bytes);
    /// <summary>The 16 flag bits (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode).</summary>
    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);
    /// <summary>True for a response.</summary>
    public bool IsResponse => (Flags & DnsFlags.QR) != 0;
    /// <summary>Operation code (0 query, 4 notify, 5 update...).</summary>
    public int Opcode => (Flags >> 11) & 0xf;
    /// <summary>Response code (low 4 bits).</summary>
    public int Rcode => Flags & 0xf;
    /// <summary>Question count.</summary>
    public ushort QuestionCount => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);
    /// <summary>Answer count.</summary>
    public ushort AnswerCount => BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]);
    /// <summary>Authority count.</summary>
    public ushort AuthorityCount => BinaryPrimitives.ReadUInt16BigEndian(_bytes[8..]);
    /// <summary>Additional count.</summary>
    public ushort AdditionalCount => BinaryPrimitives.ReadUInt16BigEndian(_bytes[10..]);
}

/// <summary>DNS header flag bits as they sit in the 16-bit flags word.</summary>
public static class DnsFlags
{
    /// <summary>Response.</summary>
    public const ushort QR = 0x8000;
    /// <summary>Authoritative answer.</summary>
    public const ushort AA = 0x0400;
    /// <summary>Truncated.</summary>
    public const ushort TC = 0x0200;
    /// <summary>Recursion desired.</summary>
    public const ushort RD = 0x0100;
    /// <summary>Recursion available.</summary>
    public const ushort RA = 0x0080;
    /// <summary>Authentic data.</summary>
    public const ushort AD = 0x0020;
    /// <summary>Checking disabled.</summary>
    public const ushort CD = 0x0010;
}
