using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

internal static class TcpPrinter
{
    /// <summary>withAddresses: the IP header's next header is TCP (otherwise tcpdump prints the ports alone).</summary>
    public static void Print(StringBuilder line, in IpPacket ip, bool withAddresses, TcpSequenceTracker tracker, PacketPrinterOptions options)
    {
        var segment = ip.Payload;
        if (segment.Length < 4)
        {
            IpPrinter.AppendAddresses(line, ip).Append(": [|tcp]");
            return;
        }
        IpPrinter.AppendEndpoints(line, ip, BinaryPrimitives.ReadUInt16BigEndian(segment), BinaryPrimitives.ReadUInt16BigEndian(segment[2..]), withAddresses).Append(": ");
        if (segment.Length < TcpHeader.MinLength)
        {
            line.Append(" [|tcp]");
            return;
        }
        int headerLength = (segment[12] >> 4) * 4;
        if (headerLength < TcpHeader.MinLength)
        {
            line.Append(" tcp ").Append(unchecked((uint)(ip.PayloadLength - headerLength))).Append(" [bad hdr length ").Append(headerLength)
                .Append(" - too short, < 20]");
            return;
        }
        TcpHeader.TryParse(segment, out var tcp);
        int length = ip.PayloadLength - tcp.HeaderLength;
        if (options.Quiet)
        {
            line.Append("tcp ").Append(Math.Max(0, length));
            return;
        }
        var flags = tcp.Flags;
        line.Append("Flags [");
        if ((flags & (TcpFlags.Fin | TcpFlags.Syn | TcpFlags.Rst | TcpFlags.Psh | TcpFlags.Ack | TcpFlags.Urg | TcpFlags.Ece | TcpFlags.Cwr)) == 0)
            line.Append("none");
        if ((flags & TcpFlags.Fin) != 0) line.Append('F');
        if ((flags & TcpFlags.Syn) != 0) line.Append('S');
        if ((flags & TcpFlags.Rst) != 0) line.Append('R');
        if ((flags & TcpFlags.Psh) != 0) line.Append('P');
        if ((flags & TcpFlags.Ack) != 0) line.Append('.');
        if ((flags & TcpFlags.Urg) != 0) line.Append('U');
        if ((flags & TcpFlags.Ece) != 0) line.Append('E');
        if ((flags & TcpFlags.Cwr) != 0) line.Append('W');
        line.Append(']');

        uint seq = tcp.SequenceNumber, ack = tcp.AcknowledgmentNumber;
        if ((flags & TcpFlags.Ack) != 0 && !options.AbsoluteTcpSequenceNumbers)
            (seq, ack) = tracker.Relative(ip, tcp.SourcePort, tcp.DestinationPort, seq, ack, (flags & TcpFlags.Syn) != 0);
        if (tcp.HeaderLength > ip.PayloadLength)
        {
            line.Append(" [bad hdr length ").Append(tcp.HeaderLength).Append(" - too long, > ").Append(ip.PayloadLength).Append(']');
            return;
        }
        if (options.Verbosity > 0 && options.VerifyChecksums && !ip.IsFragment && segment.Length >= ip.PayloadLength)
            AppendChecksum(line, ip, segment[..ip.PayloadLength]);
        if (options.Verbosity > 1 || length > 0 || (flags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst)) != 0)
        {
            line.Append(", seq ").Append(seq);
            if (length > 0) line.Append(':').Append(unchecked(seq + (uint)length));
        }
        if ((flags & TcpFlags.Ack) != 0) line.Append(", ack ").Append(ack);
        line.Append(", win ").Append(tcp.Window);
        if ((flags & TcpFlags.Urg) != 0) line.Append(", urg ").Append(tcp.UrgentPointer);
        if (tcp.HeaderLength > TcpHeader.MinLength && !AppendOptions(line, tcp.Options, cut: tcp.HeaderLength > segment.Length)) return;
        line.Append(", length ").Append(length);
        if (length > 0 && (flags & TcpFlags.Rst) != 0 && options.Verbosity > 0 && segment.Length >= tcp.HeaderLength)
        {
            AppendResetData(line, segment[tcp.HeaderLength..], length);
            return;
        }
        if (length > 0 && (tcp.SourcePort == Dns || tcp.DestinationPort == Dns) && !IsAnyEarlierPort(tcp.SourcePort, tcp.DestinationPort))
        {
            var payload = segment.Length > tcp.HeaderLength ? segment[tcp.HeaderLength..] : default;
            DnsSummary.AppendOverTcp(line, payload, length, options.Verbosity);
        }
    }

    private const ushort Dns = 53;

    /// <summary>-v: the text a reset carries (RFC 1122 4.2.2.12, often a diagnostic), at most 30 bytes of it as
    /// tcpdump shows them: <c> [RST text]</c>, <c>[RST+</c> when longer, <c>[!RST</c> when not all captured.</summary>
    private static void AppendResetData(StringBuilder line, ReadOnlySpan<byte> data, int length)
    {
        const int MaxShown = 30;
        line.Append(data.Length >= length ? " [RST" : " [!RST");
        if (length > MaxShown)
        {
            length = MaxShown;
            line.Append('+');
        }
        line.Append(' ');
        foreach (byte b in data[..Math.Min(length, data.Length)]) line.AppendPrintable(b);
        line.Append(']');
    }

    /// <summary>-v: <c>, cksum 0x1234 (correct)</c> or <c> (incorrect -> 0x5678)</c>.</summary>
    private static void AppendChecksum(StringBuilder line, in IpPacket ip, ReadOnlySpan<byte> segment)
    {
        ushort stored = BinaryPrimitives.ReadUInt16BigEndian(segment[16..]);
        ushort computed = InternetChecksum.ComputeTransport(ip.Source, ip.Destination, IpProtocols.Tcp, segment);
        line.Append(", cksum 0x").AppendHexDigits(stored, 4);
        if (computed == 0) line.Append(" (correct)");
        else line.Append(" (incorrect -> 0x").AppendHexDigits(Checksums.ShouldBe(stored, computed), 4).Append(')');
    }

    /// <summary>Ports tcpdump decodes before DNS (telnet, SMTP, whois, BGP, PPTP, Redis, SSH, NetBIOS, SMB, BEEP,
    /// OpenFlow, FTP, HTTP, RTSP), whose payloads we do not decode.</summary>
    private static bool IsAnyEarlierPort(ushort source, ushort destination)
    {
        foreach (ushort port in (ReadOnlySpan<ushort>)[23, 25, 43, 179, 1723, 6379, 22, 139, 445, 10288, 6633, 6653, 21, 80, 8080, 554, 8554])
            if (source == port || destination == port) return true;
        return false;
    }

    /// <summary>False when the options end the line (cut short: tcpdump's mark is appended).</summary>
    private static bool AppendOptions(StringBuilder line, ReadOnlySpan<byte> options, bool cut)
    {
        line.Append(", options [");
        for (int i = 0; i < options.Length;)
        {
            if (i > 0) line.Append(',');
            byte kind = options[i];
            if (kind is 0 or 1)
            {
                line.Append(kind == 0 ? "eol" : "nop");
                i++;
                if (kind == 0) break;
                continue;
            }
            if (cut && (i + 1 >= options.Length || i + options[i + 1] > options.Length))
            {
                // The header goes on past the capture: tcpdump prints what there is of the option, then its mark.
                if (kind == 29 && i + 3 < options.Length)
                {
                    line.Append("tcp-ao keyid ").Append(options[i + 2]).Append(" rnextkeyid ").Append(options[i + 3]);
                    if (options[i + 1] > 4) line.Append(" mac 0x");
                    foreach (byte b in options[(i + 4)..]) line.AppendHexByte(b);
                }
                line.Append(" [|tcp]");
                return false;
            }
            if (i + 1 >= options.Length || options[i + 1] < 2 || i + options[i + 1] > options.Length)
            {
                line.Append("bad opt");
                break;
            }
            var data = options.Slice(i + 2, options[i + 1] - 2);
            switch (kind)
            {
                case 2 when data.Length == 2:
                    line.Append("mss ").Append(BinaryPrimitives.ReadUInt16BigEndian(data));
                    break;
                case 3 when data.Length == 1:
                    line.Append("wscale ").Append(data[0]);
                    break;
                case 4 when data.Length == 0:
                    line.Append("sackOK");
                    break;
                case 5 when data.Length % 8 == 0:
                    line.Append("sack ").Append(data.Length / 8).Append(' ');
                    for (int b = 0; b < data.Length; b += 8)
                        line.Append('{').Append(BinaryPrimitives.ReadUInt32BigEndian(data[b..])).Append(':')
                            .Append(BinaryPrimitives.ReadUInt32BigEndian(data[(b + 4)..])).Append('}');
                    break;
                case 29 when data.Length < 2:
                    line.Append("tcp-ao (invalid)");
                    break;
                case 29:
                    line.Append("tcp-ao keyid ").Append(data[0]).Append(" rnextkeyid ").Append(data[1]);
                    if (data.Length > 2) line.Append(" mac 0x");
                    foreach (byte b in data[2..]) line.AppendHexByte(b);
                    break;
                case 8 when data.Length == 8:
                    line.Append("TS val ").Append(BinaryPrimitives.ReadUInt32BigEndian(data))
                        .Append(" ecr ").Append(BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                    break;
                default:
                    line.Append("unknown-").Append(kind);
                    if (data.Length > 0) line.Append(" 0x");
                    foreach (byte b in data) line.AppendHexByte(b);
                    break;
            }
            i += options[i + 1];
        }
        line.Append(']');
        return true;
    }
}
