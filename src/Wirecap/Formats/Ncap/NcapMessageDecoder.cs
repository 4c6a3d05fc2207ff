using System.Buffers.Binary;

namespace Wirecap.Formats.Ncap;

/// <summary>Bytes to NCAP messages: decodes one encoded message into a view over its bytes. Encoding is
/// <see cref="NcapMessageEncoder"/>.</summary>
internal static class NcapMessageDecoder
{
    /// <summary>True when <paramref name="data"/> starts with the NCAP magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(data) == NcapLayout.Magic;

    /// <summary>Decodes one complete message (its length field first) with ncap's sanity checks:
    /// the length covers the fixed part, the union types are known, and the payload fits in the
    /// message. Bytes after the payload (padding, or junk ncap also accepts) are ignored.</summary>
    /// <param name="message">Exactly the message's bytes (as many as its length field says).</param>
    /// <param name="record">The decoded view.</param>
    /// <param name="error">What is wrong, when false is returned.</param>
    /// <param name="errorOffset">Offset of the faulty field within <paramref name="message"/>.</param>
    public static bool TryDecode(ReadOnlySpan<byte> message, out NcapRecord record, out string? error, out int errorOffset)
    {
        record = default;
        errorOffset = 0;
        if (message.Length < NcapLayout.FixedLength)
        {
            error = $"message length {message.Length} is shorter than the {NcapLayout.FixedLength}-byte fixed part";
            return false;
        }
        var network = (NcapNetwork)BinaryPrimitives.ReadUInt16BigEndian(message[20..]);
        var transport = (NcapTransport)BinaryPrimitives.ReadUInt16BigEndian(message[22..]);
        int networkLength = NcapLayout.NetworkLength(network);
        int transportLength = NcapLayout.TransportLength(transport);
        if (networkLength < 0)
        {
            (error, errorOffset) = ($"unknown network union type {(ushort)network}", 20);
            return false;
        }
        if (transportLength < 0)
        {
            (error, errorOffset) = ($"unknown transport union type {(ushort)transport}", 22);
            return false;
        }
        uint payloadLength = BinaryPrimitives.ReadUInt32BigEndian(message[24..]);
        int payloadStart = NcapLayout.FixedLength + networkLength + transportLength;
        if (payloadStart > message.Length || payloadLength > (uint)(message.Length - payloadStart))
        {
            (error, errorOffset) = ($"payload length {payloadLength} overruns the {message.Length}-byte message", 24);
            return false;
        }
        int addressLength = networkLength / 2;
        var t = message[(NcapLayout.FixedLength + networkLength)..];
        record = new NcapRecord
        {
            Seconds = BinaryPrimitives.ReadUInt32BigEndian(message[4..]),
            Nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(message[8..]),
            User1 = BinaryPrimitives.ReadUInt32BigEndian(message[12..]),
            User2 = BinaryPrimitives.ReadUInt32BigEndian(message[16..]),
            Network = network,
            Source = message.Slice(NcapLayout.FixedLength, addressLength),
            Destination = message.Slice(NcapLayout.FixedLength + addressLength, addressLength),
            Transport = transport,
            SourcePort = transport == NcapTransport.Icmp ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(t),
            DestinationPort = transport == NcapTransport.Icmp ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(t[2..]),
            TcpOffset = transport == NcapTransport.Tcp ? BinaryPrimitives.ReadUInt32BigEndian(t[4..]) : 0,
            TcpFlags = transport == NcapTransport.Tcp ? (NcapTcpFlags)BinaryPrimitives.ReadUInt32BigEndian(t[8..]) : 0,
            IcmpType = transport == NcapTransport.Icmp ? t[0] : (byte)0,
            IcmpCode = transport == NcapTransport.Icmp ? t[1] : (byte)0,
            Payload = message.Slice(payloadStart, (int)payloadLength),
        };
        int end = payloadStart + (int)payloadLength;
        if (record.EncodedLength == message.Length && !message[end..].ContainsAnyExcept((byte)0))
            record = record with { Encoded = message }; // exactly as the encoder writes it: kept for copying
        error = null;
        return true;
    }
}
