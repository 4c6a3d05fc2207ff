using System.Buffers.Binary;
using Wirecap.Decoding;

namespace Wirecap.Ncap;

/// <summary>
/// What ncaptool's DNS terms read of a payload. The header terms (flags, opcode, rcode) read the flags word at
/// bytes 2–3 and nothing else; the terms that look inside (qname, qtype, regex) first require the whole payload to
/// parse as libbind's <c>ns_initparse</c> parses it: a 12-byte header, then every counted question and record
/// skipped, ending exactly at the end of the payload.
/// </summary>
internal static class DnsMessageCheck
{
    private const int FlagsEnd = 4;

    /// <summary>The flags word; false when the payload is too short to hold it (ncaptool reads past the payload then).</summary>
    public static bool TryReadFlags(ReadOnlySpan<byte> payload, out ushort flags)
    {
        flags = payload.Length >= FlagsEnd ? BinaryPrimitives.ReadUInt16BigEndian(payload[2..]) : (ushort)0;
        return payload.Length >= FlagsEnd;
    }

    /// <summary>True when every section skips cleanly to the exact end of the payload.</summary>
    public static bool ParsesWhole(ReadOnlySpan<byte> payload)
    {
        if (!DnsHeader.TryRead(payload, out var header)) return false;
        int at = DnsHeader.Length;
        int questions = header.QuestionCount;
        int records = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        for (int i = 0; i < questions + records; i++)
        {
            at = SkipName(payload, at);
            if (at < 0) return false;
            if (i < questions) at += 4;
            else
            {
                if (at + 10 > payload.Length) return false;
                at += 10 + BinaryPrimitives.ReadUInt16BigEndian(payload[(at + 8)..]);
            }
            if (at > payload.Length) return false;
        }
        return at == payload.Length;
    }

    /// <summary>libbind's <c>dn_skipname</c>: labels up to a root label or a pointer, without following the pointer.</summary>
    private static int SkipName(ReadOnlySpan<byte> payload, int at)
    {
        while (at < payload.Length)
        {
            int label = payload[at++];
            switch (label & 0xc0)
            {
                case 0x00 when label == 0:
                    return at;
                case 0x00:
                    at += label;
                    break;
                case 0xc0:
                    return at + 1 <= payload.Length ? at + 1 : -1;
                default:
                    return -1;
            }
        }
        return -1;
    }
}
