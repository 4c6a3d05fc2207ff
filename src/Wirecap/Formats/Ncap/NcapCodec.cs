using System.Buffers.Binary;

namespace Wirecap.Formats.Ncap;

/// <summary>Encodes and decodes single NCAP messages in memory (the unit of a datagram and of
/// a stream record).</summary>
public static class NcapCodec
{
    /// <summary>Writes the 8-byte file header ("NCAP" + version 42).</summary>
    public static void WriteFileHeader(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, NcapLayout.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], NcapLayout.Version);
    }

    /// <summary>True when <paramref name="data"/> starts with the NCAP magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(data) == NcapLayout.Magic;

    /// <summary>Encodes <paramref name="record"/> (padding included) and returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The record is inconsistent or <paramref name="destination"/> is too small.</exception>
    public static int Encode(in NcapRecord record, Span<byte> destination)
    {
        int length = EncodeHeader(record, destination);
        record.Payload.CopyTo(destination[length..]);
        length += record.Payload.Length;
        int padding = NcapLayout.Padding(length);
        destination.Slice(length, padding).Clear();
        return length + padding;
    }

    /// <summary>Encodes everything before the payload (fixed part and unions) and returns its length;
    /// the caller sends the payload and <see cref="NcapLayout.Padding"/> zero bytes after it.</summary>
    public static int EncodeHeader(in NcapRecord record, Span<byte> destination)
    {
        record.Validate();
        int total = record.EncodedLength;
        int headerLength = NcapLayout.FixedLength + NcapLayout.NetworkLength(record.Network) + NcapLayout.TransportLength(record.Transport);
        if (destination.Length < headerLength)
            throw new ArgumentException($"destination holds {destination.Length} bytes, the message header needs {headerLength}", nameof(destination));
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], record.Seconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], record.Nanoseconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], record.User1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], record.User2);
        BinaryPrimitives.WriteUInt16BigEndian(destination[20..], (ushort)record.Network);
        BinaryPrimitives.WriteUInt16BigEndian(destination[22..], (ushort)record.Transport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], (uint)record.Payload.Length);
        int at = NcapLayout.FixedLength;
        record.Source.CopyTo(destination[at..]);
        at += record.Source.Length;
        record.Destination.CopyTo(destination[at..]);
        at += record.Destination.Length;
        switch (record.Transport)
        {
            case NcapTransport.Udp:
                BinaryPrimitives.WriteUInt16BigEndian(destination[at..], record.SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 2)..], record.DestinationPort);
                break;
            case NcapTransport.Tcp:
                BinaryPrimitives.WriteUInt16BigEndian(destination[at..], record.SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 2)..], record.DestinationPort);
                BinaryPrimitives.WriteUInt32BigEndian(destination[(at + 4)..], record.TcpOffset);
                BinaryPrimitives.WriteUInt32BigEndian(destination[(at + 8)..], (uint)record.TcpFlags);
                break;
            default:
                destination[at] = record.IcmpType;
                destination[at + 1] = record.IcmpCode;
                break;
        }
        return headerLength;
    }

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
        error = null;
        return true;
    }
}
