using System.Text;

namespace Wirecap.Decoding;

internal static class ArpPrinter
{
    // keyword: start with "ARP, "; tcpdump leaves it out under -e, whose header names the type.
    public static void Print(StringBuilder line, ReadOnlySpan<byte> packet, long length, bool keyword = true)
    {
        if (keyword) line.Append("ARP, ");
        if (!ArpPacket.TryParse(packet, out var arp) || arp.ProtocolType != EtherTypes.IPv4 || arp.ProtocolLength != 4)
        {
            line.Append("length ").Append(length);
            return;
        }
        switch (arp.Operation)
        {
            case 1:
                line.Append("Request who-has ").AppendIPv4(arp.TargetProtocolAddress);
                if (!IsZero(arp.TargetHardwareAddress)) line.Append(" (").AppendMac(arp.TargetHardwareAddress).Append(')');
                line.Append(" tell ").AppendIPv4(arp.SenderProtocolAddress);
                break;
            case 2:
                line.Append("Reply ").AppendIPv4(arp.SenderProtocolAddress).Append(" is-at ").AppendMac(arp.SenderHardwareAddress);
                break;
            case 3:
                line.Append("Reverse Request who-is ").AppendMac(arp.TargetHardwareAddress).Append(" tell ").AppendMac(arp.SenderHardwareAddress);
                break;
            case 4:
                line.Append("Reverse Reply ").AppendMac(arp.TargetHardwareAddress).Append(" at ").AppendIPv4(arp.TargetProtocolAddress);
                break;
            default:
                line.Append("Unknown (").Append(arp.Operation).Append(')');
                break;
        }
        line.Append(", length ").Append(length);
    }

    private static bool IsZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;
}
