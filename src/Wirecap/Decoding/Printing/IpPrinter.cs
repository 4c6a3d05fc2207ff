using System.Text;

namespace Wirecap.Decoding;

internal static class IpPrinter
{
    // keyword: start with "IP "/"IP6 "; tcpdump leaves it out under -e, whose header names the type.
    public static void Print(StringBuilder line, ushort etherType, ReadOnlySpan<byte> packet, TcpSequenceTracker tcp, bool quiet, bool keyword = true)
    {
        bool v4 = etherType == EtherTypes.IPv4;
        if (keyword) line.Append(v4 ? "IP " : "IP6 ");
        if (!IpPacket.TryParse(etherType, packet, out var ip))
        {
            line.Append(v4 ? "[|ip]" : "[|ip6]");
            return;
        }
        if (ip.IsLaterFragment)
        {
            AppendAddresses(line, ip).Append(": ip-proto-").Append(ip.Protocol);
            return;
        }
        switch (ip.Protocol)
        {
            case IpProtocols.Tcp:
                TcpPrinter.Print(line, ip, tcp, quiet);
                break;
            case IpProtocols.Udp:
                PrintUdp(line, ip, quiet);
                break;
            case IpProtocols.Icmp when v4:
                AppendAddresses(line, ip).Append(": ");
                IcmpPrinter.PrintV4(line, ip);
                break;
            case IpProtocols.Icmpv6 when !v4:
                AppendAddresses(line, ip).Append(": ");
                IcmpPrinter.PrintV6(line, ip);
                break;
            default:
                AppendAddresses(line, ip).Append(": ip-proto-").Append(ip.Protocol).Append(' ').Append(ip.PayloadLength);
                break;
        }
    }

    public static StringBuilder AppendAddresses(StringBuilder line, in IpPacket ip) =>
        line.AppendIp(ip.Source).Append(" > ").AppendIp(ip.Destination);

    public static StringBuilder AppendEndpoints(StringBuilder line, in IpPacket ip, ushort sourcePort, ushort destinationPort) =>
        line.AppendIp(ip.Source).Append('.').Append(sourcePort).Append(" > ").AppendIp(ip.Destination).Append('.').Append(destinationPort);

    private static void PrintUdp(StringBuilder line, in IpPacket ip, bool quiet)
    {
        if (!UdpHeader.TryParse(ip.Payload, out var udp))
        {
            AppendAddresses(line, ip).Append(": [|udp]");
            return;
        }
        AppendEndpoints(line, ip, udp.SourcePort, udp.DestinationPort).Append(": ");
        int length = udp.TotalLength - UdpHeader.Length;
        if (length < 0)
        {
            line.Append("[bad udp length ").Append(udp.TotalLength).Append(']');
            return;
        }
        if (!quiet && IsDnsPort(udp.SourcePort, udp.DestinationPort) && DnsSummary.TryAppend(line, udp.Payload, length))
            return;
        line.Append("UDP, length ").Append(length);
    }

    private static bool IsDnsPort(ushort source, ushort destination) =>
        source is 53 or 5353 || destination is 53 or 5353;
}
