using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>A view over an ICMP (IPv4) or ICMPv6 message: the 4-byte common header, the 4
/// type-specific bytes, and the rest.</summary>
public readonly ref struct IcmpHeader
{
    /// <summary>Length of type, code and checksum.</summary>
    public const int Length = 4;
    private readonly ReadOnlySpan<byte> _message;

    private IcmpHeader(ReadOnlySpan<byte> message) => _message = message;

    /// <summary>Message type.</summary>
    public byte Type => _message[0];
    /// <summary>Message code.</summary>
    public byte Code => _message[1];
    /// <summary>Checksum as stored.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_message[2..]);
    /// <summary>The whole message as captured.</summary>
    public ReadOnlySpan<byte> Message => _message;
    /// <summary>Everything after the checksum.</summary>
    public ReadOnlySpan<byte> Body => _message[Length..];
    /// <summary>Echo identifier (echo request/reply), when captured.</summary>
    public ushort Identifier => _message.Length >= 6 ? BinaryPrimitives.ReadUInt16BigEndian(_message[4..]) : (ushort)0;
    /// <summary>Echo sequence number (echo request/reply), when captured.</summary>
    public ushort SequenceNumber => _message.Length >= 8 ? BinaryPrimitives.ReadUInt16BigEndian(_message[6..]) : (ushort)0;

    /// <summary>Reads the header; false when fewer than 4 bytes were captured.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out IcmpHeader header)
    {
        header = message.Length >= Length ? new IcmpHeader(message) : default;
        return message.Length >= Length;
    }
}
