using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

internal static class IcmpPrinter
{
    public static void PrintV4(StringBuilder line, in IpPacket ip)
    {
        if (!IcmpHeader.TryParse(ip.Payload, out var icmp))
        {
            line.Append("[|icmp]");
            return;
        }
        line.Append("ICMP ");
        switch (icmp.Type)
        {
            case 0:
            case 8:
                line.Append(icmp.Type == 8 ? "echo request" : "echo reply")
                    .Append(", id ").Append(icmp.Identifier).Append(", seq ").Append(icmp.SequenceNumber);
                break;
            case 3:
                AppendUnreachable(line, icmp);
                break;
            case 11:
                line.Append(icmp.Code == 0 ? "time exceeded in-transit" : "ip reassembly time exceeded");
                break;
            case 13:
            case 14:
                line.Append(icmp.Type == 13 ? "time stamp query" : "time stamp reply")
                    .Append(" id ").Append(icmp.Identifier).Append(" seq ").Append(icmp.SequenceNumber);
                break;
            case 5 when icmp.Message.Length >= 8 + Ipv4Header.MinLength:
                line.Append("redirect ").AppendIPv4(icmp.Message.Slice(8 + 16, 4))
                    .Append(" to host ").AppendIPv4(icmp.Message.Slice(4, 4));
                break;
            default:
                line.Append("type-#").Append(icmp.Type);
                break;
        }
        line.Append(", length ").Append(ip.PayloadLength);
    }

    private static void AppendUnreachable(StringBuilder line, in IcmpHeader icmp)
    {
        var quoted = icmp.Message.Length > 8 ? icmp.Message[8..] : default;
        if (!Ipv4Header.TryParse(quoted, out var inner))
        {
            line.Append("unreachable code ").Append(icmp.Code);
            return;
        }
        switch (icmp.Code)
        {
            case 0:
                line.AppendIPv4(inner.Destination).Append(" net unreachable");
                break;
            case 1:
                line.AppendIPv4(inner.Destination).Append(" host unreachable");
                break;
            case 2:
                line.AppendIPv4(inner.Destination).Append(" protocol ").Append(inner.Protocol).Append(" unreachable");
                break;
            case 3:
                var transport = quoted[inner.HeaderLength..];
                line.AppendIPv4(inner.Destination);
                if (transport.Length >= 4 && inner.Protocol is IpProtocols.Udp or IpProtocols.Tcp)
                    line.Append(inner.Protocol == IpProtocols.Udp ? " udp port " : " tcp port ")
                        .Append(BinaryPrimitives.ReadUInt16BigEndian(transport[2..])).Append(" unreachable");
                else
                    line.Append(" protocol ").Append(inner.Protocol).Append(" port unreachable");
                break;
            default:
                line.AppendIPv4(inner.Destination).Append(" unreachable - code ").Append(icmp.Code);
                break;
        }
    }

    public static void PrintV6(StringBuilder line, in IpPacket ip)
    {
        if (!IcmpHeader.TryParse(ip.Payload, out var icmp))
        {
            line.Append("[|icmp6]");
            return;
        }
        line.Append("ICMP6, ");
        var body = icmp.Body;
        switch (icmp.Type)
        {
            case 128:
            case 129:
                line.Append(icmp.Type == 128 ? "echo request" : "echo reply")
                    .Append(", id ").Append(icmp.Identifier).Append(", seq ").Append(icmp.SequenceNumber);
                break;
            case 133:
                line.Append("router solicitation");
                break;
            case 134:
                line.Append("router advertisement");
                break;
            case 135 when body.Length >= 20:
                line.Append("neighbor solicitation, who has ").AppendIPv6(body.Slice(4, 16));
                break;
            case 136 when body.Length >= 20:
                line.Append("neighbor advertisement, tgt is ").AppendIPv6(body.Slice(4, 16));
                break;
            case 1:
                line.Append("destination unreachable");
                break;
            case 2:
                line.Append("packet too big");
                break;
            case 3:
                line.Append("time exceeded in-transit");
                break;
            default:
                line.Append("type-#").Append(icmp.Type);
                break;
        }
        line.Append(", length ").Append(ip.PayloadLength);
    }
}
