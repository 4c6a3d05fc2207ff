using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>-v: the multi-part extension (RFC 4884) of an ICMP unreachable, time exceeded or parameter problem message
/// as tcpdump 4.99 prints it after the quoted packet: version, checksum and length of the extension header, then each
/// object (MPLS label stack entries of RFC 4950 decoded, others in hex). tcpdump looks for it past the 128 bytes of
/// the original datagram whatever the length field says; when that field is 0 it prints the extension only if its
/// checksum holds.</summary>
internal static class IcmpExtensionPrinter
{
    private const int ExtensionAt = 8 + 128, ObjectHeaderLength = 4;

    public static bool AppliesTo(byte type, int length) => type is 3 or 11 or 12 && length > ExtensionAt;

    public static void Append(StringBuilder line, ReadOnlySpan<byte> icmp, int length)
    {
        if (icmp.Length < ExtensionAt + 5)
        {
            line.Append(" [|icmp]");
            return;
        }
        bool whole = icmp.Length >= length;
        if (icmp[5] == 0 && whole && InternetChecksum.Compute(icmp[ExtensionAt..length]) != 0) return;
        int version = icmp[ExtensionAt] >> 4;
        line.Append("\n\tICMP Multi-Part extension v").Append(version);
        if (version != 2)
        {
            line.Append(" packet not supported");
            return;
        }
        int remaining = length - ExtensionAt;
        if (whole)
            line.Append(", checksum 0x").AppendHexDigits(BinaryPrimitives.ReadUInt16BigEndian(icmp[(ExtensionAt + 2)..]), 4)
                .Append(InternetChecksum.Compute(icmp[ExtensionAt..length]) != 0 ? " (incorrect)" : " (correct)").Append(", length ").Append(remaining);
        remaining -= 4;
        for (int at = ExtensionAt + 4; remaining > ObjectHeaderLength;)
        {
            if (icmp.Length < at + ObjectHeaderLength)
            {
                line.Append(" [|icmp]");
                return;
            }
            int objectLength = BinaryPrimitives.ReadUInt16BigEndian(icmp[at..]);
            byte objectClass = icmp[at + 2], classType = icmp[at + 3];
            at += ObjectHeaderLength;
            line.Append("\n\t  ").Append(objectClass switch { 1 => "MPLS Stack Entry", 2 => "Interface Identification", _ => "unknown" })
                .Append(" Object (").Append(objectClass).Append("), Class-Type: ").Append(classType).Append(", length ").Append(objectLength);
            remaining -= ObjectHeaderLength;
            if (objectClass == 0 || objectLength < ObjectHeaderLength) return; // tcpdump's guard against a loop
            objectLength -= ObjectHeaderLength;
            if (objectClass == 1 && classType == 1)
            {
                if (icmp.Length < at + 4)
                {
                    line.Append(" [|icmp]");
                    return;
                }
                uint entry = BinaryPrimitives.ReadUInt32BigEndian(icmp[at..]);
                line.Append("\n\t    label ").Append(entry >> 12).Append(", tc ").Append((entry >> 9) & 7);
                if ((entry & 0x100) != 0) line.Append(", [S]");
                line.Append(", ttl ").Append(entry & 0xff);
            }
            else
            {
                int from = Math.Min(at, icmp.Length);
                line.AppendHexDump(icmp[from..Math.Min(icmp.Length, at + objectLength)], ascii: false, indent: "\n\t    ");
            }
            if (remaining < objectLength) break;
            remaining -= objectLength;
            at += objectLength;
        }
    }
}
