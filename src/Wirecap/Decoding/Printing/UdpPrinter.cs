using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>UDP as tcpdump prints it: endpoints (the ports alone after IPv6 extension headers), then DNS on ports
/// 53 and 5353, ESP in UDP on port 4500, or <c>UDP, length N</c>; tcpdump's length checks and truncation marks.</summary>
internal static class UdpPrinter
{
    private const int HeaderLength = 8;
    private const ushort Dns = 53, MulticastDns = 5353, NatTraversal = 4500;

    public static void Print(StringBuilder line, in IpPacket ip, bool withAddresses, PacketPrinterOptions options)
    {
        var udp = ip.Payload;
        if (udp.Length < 4)
        {
            if (withAddresses) IpPrinter.AppendAddresses(line, ip).Append(": ");
            Truncated(line);
            return;
        }
        ushort sourcePort = BinaryPrimitives.ReadUInt16BigEndian(udp), destinationPort = BinaryPrimitives.ReadUInt16BigEndian(udp[2..]);
        IpPrinter.AppendEndpoints(line, ip, sourcePort, destinationPort, withAddresses).Append(": ");
        long length = ip.PayloadLength;
        if (length < HeaderLength)
        {
            line.Append("truncated-udp ").Append(length);
            return;
        }
        if (udp.Length < 6)
        {
            Truncated(line);
            return;
        }
        long udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (udpLength == 0 && length > 65535) udpLength = length; // a jumbogram (RFC 2675)
        if (udpLength < HeaderLength)
        {
            line.Append("truncated-udplength ").Append(udpLength);
            return;
        }
        udpLength -= HeaderLength;
        length -= HeaderLength;
        if (udpLength < length) length = udpLength;
        if (udp.Length < HeaderLength)
        {
            Truncated(line);
            return;
        }
        var payload = udp[HeaderLength..];
        if (payload.Length > length) payload = payload[..(int)length];
        if (options.Verbosity > 0 && options.VerifyChecksums && !ip.IsFragment && (ip.Version == 6 || options.Verbosity > 1))
            AppendChecksum(line, ip, udp, length);
        if (!options.Quiet)
        {
            if (IsPort(Dns, sourcePort, destinationPort) || IsPort(MulticastDns, sourcePort, destinationPort))
            {
                DnsSummary.Append(line, payload, (int)length, overTcp: false, options.Verbosity);
                return;
            }
            if (IsPort(NatTraversal, sourcePort, destinationPort) && !IsAnyPort(sourcePort, destinationPort, 525, 69, 67, 68, 520, 654, 500))
            {
                PrintNatTraversal(line, payload, (int)length);
                return;
            }
        }
        if (udpLength > length && !ip.IsFragment) line.Append("UDP, bad length ").Append(udpLength).Append(" > ").Append(length);
        else line.Append("UDP, length ").Append(udpLength);
    }

    /// <summary>-v over IPv6, -vv over IPv4: <c>[udp sum ok] </c>, <c>[bad udp cksum 0x1234 -> 0x5678!] </c>, or over
    /// IPv4 <c>[no cksum] </c>; nothing when the datagram was not all captured.</summary>
    private static void AppendChecksum(StringBuilder line, in IpPacket ip, ReadOnlySpan<byte> udp, long payloadLength)
    {
        ushort stored = BinaryPrimitives.ReadUInt16BigEndian(udp[6..]);
        if (ip.Version == 4 && stored == 0)
        {
            line.Append("[no cksum] ");
            return;
        }
        if (udp.Length - HeaderLength < payloadLength) return;
        ushort computed = InternetChecksum.ComputeTransport(ip.Source, ip.Destination, IpProtocols.Udp, udp[..(int)(payloadLength + HeaderLength)]);
        if (computed == 0) line.Append("[udp sum ok] ");
        else line.Append("[bad udp cksum 0x").AppendHexDigits(stored, 4).Append(" -> 0x").AppendHexDigits(Checksums.ShouldBe(stored, computed), 4).Append("!] ");
    }

    /// <summary>RFC 3948: a keep-alive, IKE after four zero bytes (not decoded), else ESP.</summary>
    private static void PrintNatTraversal(StringBuilder line, ReadOnlySpan<byte> payload, int length)
    {
        if (length == 1 && payload.Length == 1 && payload[0] == 0xff)
        {
            line.Append("isakmp-nat-keep-alive");
            return;
        }
        if (length < 4 || payload.Length < 4)
        {
            line.Append(" [|isakmp_rfc3948]");
            return;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(payload) == 0)
        {
            line.Append("NONESP-encap: isakmp");
            return;
        }
        line.Append("UDP-encap: ");
        IpsecPrinter.PrintEsp(line, payload, length);
    }

    private static bool IsPort(ushort port, ushort source, ushort destination) => source == port || destination == port;

    /// <summary>The ports tcpdump tries before 4500 (timed, TFTP, BOOTP, RIP, AODV, ISAKMP), which it would decode instead.</summary>
    private static bool IsAnyPort(ushort source, ushort destination, params ReadOnlySpan<ushort> ports)
    {
        foreach (ushort port in ports)
            if (source == port || destination == port) return true;
        return false;
    }

    private static void Truncated(StringBuilder line) => line.Append(" [|udp]");
}
