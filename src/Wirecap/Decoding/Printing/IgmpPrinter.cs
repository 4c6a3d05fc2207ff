using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>IGMP v1, v2 and v3 as tcpdump prints them without -v: queries (version from the length and the
/// response time, v3's maximum response time and group), reports and leaves.</summary>
internal static class IgmpPrinter
{
    public static void Print(StringBuilder line, ReadOnlySpan<byte> igmp, int length)
    {
        if (igmp.IsEmpty)
        {
            Truncated(line);
            return;
        }
        switch (igmp[0])
        {
            case 0x11:
                line.Append("igmp query");
                if (length >= 12) Version3Query(line, igmp, length);
                else
                {
                    if (igmp.Length < 2) { Truncated(line); return; }
                    if (igmp[1] != 0)
                    {
                        line.Append(" v2");
                        if (igmp[1] != 100) line.Append(" [max resp time ").Append(igmp[1]).Append(']');
                    }
                    else line.Append(" v1");
                    if (igmp.Length < 8) { Truncated(line); return; }
                    if (BinaryPrimitives.ReadUInt32BigEndian(igmp[4..]) != 0) line.Append(" [gaddr ").AppendIPv4(igmp.Slice(4, 4)).Append(']');
                    if (length != 8) line.Append(" [len ").Append(length).Append(']');
                }
                break;
            case 0x12 or 0x16 or 0x17:
                line.Append(igmp[0] switch { 0x12 => "igmp v1 report ", 0x16 => "igmp v2 report ", _ => "igmp leave " });
                if (igmp.Length < 8) { Truncated(line); return; }
                line.AppendIPv4(igmp.Slice(4, 4));
                if (igmp[0] == 0x12 && length != 8) line.Append(" [len ").Append(length).Append(']');
                break;
            case 0x22:
                line.Append("igmp v3 report");
                if (length < 16 || (length & 3) != 0) line.Append(" [invalid len ").Append(length).Append(']');
                else if (igmp.Length < 8) Truncated(line);
                else line.Append(", ").Append(BinaryPrimitives.ReadUInt16BigEndian(igmp[6..])).Append(" group record(s)");
                break;
            default:
                line.Append("igmp-").Append(igmp[0]);
                break;
        }
    }

    private static void Version3Query(StringBuilder line, ReadOnlySpan<byte> igmp, int length)
    {
        line.Append(" v3");
        if (length < 12 || (length & 3) != 0)
        {
            line.Append(" [invalid len ").Append(length).Append(']');
            return;
        }
        if (igmp.Length < 2) { Truncated(line); return; }
        int code = igmp[1];
        uint time = code < 128 ? (uint)code : (uint)(((code & 0x0f) | 0x10) << (((code & 0x70) >> 4) + 3));
        if (code != 100)
        {
            line.Append(" [max resp time ");
            if (time < 600) line.Append(time / 10).Append('.').Append(time % 10).Append('s');
            else line.AppendDuration(time / 10);
            line.Append(']');
        }
        if (igmp.Length < 8) { Truncated(line); return; }
        if (BinaryPrimitives.ReadUInt32BigEndian(igmp[4..]) == 0) return;
        line.Append(" [gaddr ").AppendIPv4(igmp.Slice(4, 4));
        if (igmp.Length < 12) { Truncated(line); return; }
        int sources = BinaryPrimitives.ReadUInt16BigEndian(igmp[10..]);
        if (sources > 0)
        {
            if (length < 12 + (sources << 2)) line.Append(" [invalid number of sources]");
            else line.Append(", ").Append(sources).Append(" source(s)");
        }
        line.Append(']');
    }

    private static void Truncated(StringBuilder line) => line.Append(" [|igmp]");
}
