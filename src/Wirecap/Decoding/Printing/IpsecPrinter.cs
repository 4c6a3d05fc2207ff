using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>IPsec as tcpdump prints it without keys: <c>AH(spi=…,seq=…,icv=…): </c> before the protected
/// protocol, <c>ESP(spi=…,seq=…), length N</c> for the encrypted payload (also inside UDP on port 4500).</summary>
internal static class IpsecPrinter
{
    private const int EspHeaderLength = 8, AhHeaderLength = 12;

    /// <summary>Returns the AH header's length (the protected protocol follows), or -1 when the line ends.</summary>
    public static int PrintAh(StringBuilder line, ReadOnlySpan<byte> ah)
    {
        line.Append("AH(");
        if (ah.Length < 2) return Truncated(line, "ah");
        int length = (ah[1] + 2) * 4;
        if (ah.Length < 4) return Truncated(line, "ah");
        ushort reserved = BinaryPrimitives.ReadUInt16BigEndian(ah[2..]);
        if (reserved != 0) line.Append("reserved=0x").AppendHex(reserved).Append("[MustBeZero],");
        if (ah.Length < 8) return Truncated(line, "ah");
        line.Append("spi=0x").AppendHex8(BinaryPrimitives.ReadUInt32BigEndian(ah[4..])).Append(',');
        if (ah.Length < AhHeaderLength) return Truncated(line, "ah");
        line.Append("seq=0x").AppendHex((int)BinaryPrimitives.ReadUInt32BigEndian(ah[8..])).Append(",icv=0x");
        for (int i = AhHeaderLength; i < length; i++)
        {
            if (i >= ah.Length) return Truncated(line, "ah");
            line.AppendHexByte(ah[i]);
        }
        line.Append("): ");
        return length;
    }

    public static void PrintEsp(StringBuilder line, ReadOnlySpan<byte> esp, int length)
    {
        if (esp.Length <= EspHeaderLength)
        {
            Truncated(line, "esp");
            return;
        }
        line.Append("ESP(spi=0x").AppendHex8(BinaryPrimitives.ReadUInt32BigEndian(esp))
            .Append(",seq=0x").AppendHex((int)BinaryPrimitives.ReadUInt32BigEndian(esp[4..])).Append("), length ").Append(length);
    }

    private static int Truncated(StringBuilder line, string protocol)
    {
        line.Append(" [|").Append(protocol).Append(']');
        return -1;
    }
}
