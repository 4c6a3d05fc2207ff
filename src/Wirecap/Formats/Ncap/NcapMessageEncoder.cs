using System.Buffers.Binary;

namespace Wirecap.Formats.Ncap;

/// <summary>NCAP messages to bytes: encodes single messages in memory (the unit of a datagram and of a
/// stream record), and the file header. Decoding is <see cref="NcapMessageDecoder"/>.</summary>
internal static class NcapMessageEncoder
{
    /// <summary>Writes the 8-byte file header ("NCAP" + version 42).</summary>
    public static void WriteFileHeader(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, NcapLayout.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], NcapLayout.Version);
    }

    /// <summary>Encodes <paramref name="record"/> (padding included) and returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The record is inconsistent or <paramref name="destination"/> is too small.</exception>
    public static int Encode(in NcapRecord record, Span<byte> destination)
    {
        if (!record.Encoded.IsEmpty)
        {
            // Read from bytes and not changed since: the message is encoded once, then only copied.
            if (destination.Length < record.Encoded.Length)
                throw new ArgumentException($"destination holds {destination.Length} bytes, the message needs {record.Encoded.Length}", nameof(destination));
            record.Encoded.CopyTo(destination);
            return record.Encoded.Length;
        }
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
}
