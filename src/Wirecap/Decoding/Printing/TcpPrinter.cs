using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

internal static class TcpPrinter
{
    public static void Print(StringBuilder line, in IpPacket ip, TcpSequenceTracker tracker, bool quiet)
    {
        if (!TcpHeader.TryParse(ip.Payload, out var tcp))
        {
            if (ip.Payload.Length >= 4)
            {
                IpPrinter.AppendEndpoints(line, ip, BinaryPrimitives.ReadUInt16BigEndian(ip.Payload), BinaryPrimitives.ReadUInt16BigEndian(ip.Payload[2..]));
                line.Append(": [|tcp]");
            }
            else IpPrinter.AppendAddresses(line, ip).Append(": [|tcp]");
            return;
        }
        IpPrinter.AppendEndpoints(line, ip, tcp.SourcePort, tcp.DestinationPort).Append(": ");
        int length = ip.PayloadLength - tcp.HeaderLength;
        if (quiet)
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
        if ((flags & TcpFlags.Ack) != 0)
            (seq, ack) = tracker.Relative(ip, tcp.SourcePort, tcp.DestinationPort, seq, ack, (flags & TcpFlags.Syn) != 0);
        if (tcp.HeaderLength > ip.PayloadLength)
        {
            line.Append(" [bad hdr length ").Append(tcp.HeaderLength).Append(" - too long, > ").Append(ip.PayloadLength).Append(']');
            return;
        }
        if (length > 0 || (flags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst)) != 0)
        {
            line.Append(", seq ").Append(seq);
            if (length > 0) line.Append(':').Append(unchecked(seq + (uint)length));
        }
        if ((flags & TcpFlags.Ack) != 0) line.Append(", ack ").Append(ack);
        line.Append(", win ").Append(tcp.Window);
        if ((flags & TcpFlags.Urg) != 0) line.Append(", urg ").Append(tcp.UrgentPointer);
        if (tcp.HeaderLength > TcpHeader.MinLength) AppendOptions(line, tcp.Options);
        line.Append(", length ").Append(length);
    }

    private static void AppendOptions(StringBuilder line, ReadOnlySpan<byte> options)
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
                case 8 when data.Length == 8:
                    line.Append("TS val ").Append(BinaryPrimitives.ReadUInt32BigEndian(data))
                        .Append(" ecr ").Append(BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                    break;
                default:
                    line.Append("unknown-").Append(kind);
                    if (data.Length > 0) line.Append(' ');
                    foreach (byte b in data) line.AppendHexByte(b);
                    break;
            }
            i += options[i + 1];
        }
        line.Append(']');
    }
}
