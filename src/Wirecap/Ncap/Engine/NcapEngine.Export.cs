using System.Net;
using Wirecap.Formats.Ncap;

namespace Wirecap.Ncap;

public sealed partial class NcapEngine
{
    /// <summary>
    /// Builds a message (ncap's <c>cons</c>): a UDP one when <paramref name="transport"/> is UDP, and so on.
    /// Addresses must be of one family; the payload is copied.
    /// </summary>
    public static NcapMessage Cons(DateTimeOffset timestamp, uint user1, uint user2, IPAddress source, IPAddress destination,
        NcapTransport transport, ushort sourcePort = 0, ushort destinationPort = 0, uint tcpOffset = 0, NcapTcpFlags tcpFlags = 0,
        byte icmpType = 0, byte icmpCode = 0, ReadOnlySpan<byte> payload = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.AddressFamily != destination.AddressFamily)
            throw new ArgumentException("source and destination must both be IPv4 or both IPv6", nameof(destination));
        long nanoseconds = (timestamp - DateTimeOffset.UnixEpoch).Ticks * 100;
        if (nanoseconds < 0 || nanoseconds / 1_000_000_000 > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "NCAP timestamps are 32-bit seconds since 1970");
        return new NcapMessage
        {
            Seconds = (uint)(nanoseconds / 1_000_000_000),
            Nanoseconds = (uint)(nanoseconds % 1_000_000_000),
            User1 = user1,
            User2 = user2,
            Source = source,
            Destination = destination,
            Transport = transport,
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            TcpOffset = tcpOffset,
            TcpFlags = tcpFlags,
            IcmpType = icmpType,
            IcmpCode = icmpCode,
            Payload = payload.ToArray(),
        };
    }

    /// <summary>Writes the 8-byte NCAP file header (ncap's <c>write</c> with no message).</summary>
    public static void WriteHeader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[8];
        NcapMessageEncoder.WriteFileHeader(header);
        stream.Write(header);
    }

    /// <summary>
    /// Sends one message as a datagram (ncap's <c>send</c>), with the sender's header policy (a header first,
    /// then every 100 messages or 5 s). False when the sender is muted after a network error (counted there).
    /// </summary>
    public static bool Send(in NcapRecord message, NcapDatagramSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return sender.Send(message);
    }

    /// <summary>Writes one message in the portable format (ncap's <c>write</c>/<c>fwrite</c>).</summary>
    public void Write(in NcapRecord message, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!message.Encoded.IsEmpty)
        {
            stream.Write(message.Encoded); // a message that came encoded and was not changed: its bytes as they are
            return;
        }
        int length = message.EncodedLength;
        if (_frameScratch.Length < length) _frameScratch = new byte[Math.Max(length, _frameScratch.Length * 2)];
        int written = NcapMessageEncoder.Encode(message, _frameScratch);
        stream.Write(_frameScratch, 0, written);
    }
}
