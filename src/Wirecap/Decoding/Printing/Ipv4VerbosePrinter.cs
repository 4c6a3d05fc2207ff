using System.Buffers.Binary;
using System.Text;

namespace Wirecap.Decoding;

/// <summary>What tcpdump -v adds to an IPv4 line: <c>(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto UDP (17),
/// length 84[, options (…)][, bad cksum …])</c> and a new line indented by four spaces for the rest.</summary>
internal static class Ipv4VerbosePrinter
{
    private const int FixedLength = 20;
    private const byte End = 0, NoOperation = 1, RecordRoute = 7, Timestamp = 68, Security = 130, LooseRoute = 131,
        StrictRoute = 137, RouterAlert = 148, Traceroute = 82;

    /// <summary><paramref name="header"/> holds what was captured of the packet, no further than its total length (the
    /// header is <paramref name="headerLength"/> bytes long). False when the options ran past the capture (the line
    /// ends with tcpdump's mark then).</summary>
    public static bool Print(StringBuilder line, ReadOnlySpan<byte> header, int headerLength, PacketPrinterOptions options)
    {
        byte tos = header[1];
        line.Append("(tos 0x").AppendHex(tos);
        switch (tos & 3)
        {
            case 1: line.Append(",ECT(1)"); break;
            case 2: line.Append(",ECT(0)"); break;
            case 3: line.Append(",CE"); break;
        }
        if (header[8] >= 1) line.Append(", ttl ").Append(header[8]);
        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(header[6..]);
        line.Append(", id ").Append(BinaryPrimitives.ReadUInt16BigEndian(header[4..])).Append(", offset ").Append((fragment & 0x1fff) * 8)
            .Append(", flags [");
        AppendFlags(line, fragment);
        line.Append("], proto ").Append(IpProtocolNames.Name(header[9])).Append(" (").Append(header[9]).Append(')')
            .Append(", length ").Append(BinaryPrimitives.ReadUInt16BigEndian(header[2..]));
        if (headerLength > FixedLength)
        {
            line.Append(", options (");
            switch (AppendOptions(line, header[FixedLength..], headerLength - FixedLength))
            {
                case OptionsResult.Cut:
                    line.Append(" [|ip]");
                    return false;
                case OptionsResult.OptionCut:
                    // tcpdump ends the header's parenthesis, then the line after the addresses
                    line.Append(" [truncated-option])");
                    AppendChecksum(line, header, headerLength, options);
                    line.Append(")\n    ").AppendIPv4(header.Slice(12, 4)).Append(" > ").AppendIPv4(header.Slice(16, 4)).Append(":  [|ip]");
                    return false;
            }
            line.Append(')');
        }
        AppendChecksum(line, header, headerLength, options);
        line.Append(")\n    ");
        return true;
    }

    private static void AppendChecksum(StringBuilder line, ReadOnlySpan<byte> header, int headerLength, PacketPrinterOptions options)
    {
        if (!options.VerifyChecksums || header.Length < headerLength) return;
        ushort computed = InternetChecksum.Compute(header[..headerLength]);
        if (computed == 0) return;
        ushort stored = BinaryPrimitives.ReadUInt16BigEndian(header[10..]);
        line.Append(", bad cksum ").AppendHex(stored).Append(" (->").AppendHex(Checksums.ShouldBe(stored, computed)).Append(")!");
    }

    /// <summary>How the options' walk ended: all printed; a field tcpdump reads directly was not captured (its
    /// <c>[|ip]</c> ends the line there); or bytes an option's printer checks first were not (its
    /// <c>[truncated-option]</c>, and the line goes on to the addresses).</summary>
    private enum OptionsResult { Printed, Cut, OptionCut }

    /// <summary>tcpdump's <c>bittok2str</c> of the flag bits: MF as "+", DF, the reserved bit as "rsvd".</summary>
    private static void AppendFlags(StringBuilder line, ushort fragment)
    {
        int start = line.Length;
        void Add(string name)
        {
            if (line.Length != start) line.Append(", ");
            line.Append(name);
        }
        if ((fragment & 0x2000) != 0) Add("+");
        if ((fragment & 0x4000) != 0) Add("DF");
        if ((fragment & 0x8000) != 0) Add("rsvd");
        if (line.Length == start) line.Append("none");
    }

    /// <summary>tcpdump's <c>ip_optprint</c>: names, comma-separated; routes and timestamps in detail.
    /// <paramref name="options"/> is what was captured from the first option on, which may end before or go past
    /// the header's <paramref name="length"/> bytes of options: tcpdump checks its reads against the capture.</summary>
    private static OptionsResult AppendOptions(StringBuilder line, ReadOnlySpan<byte> options, int length)
    {
        for (int at = 0; length > 0;)
        {
            if (at > 0) line.Append(',');
            if (at >= options.Length) return OptionsResult.Cut;
            byte code = options[at];
            line.Append(code switch
            {
                End => "EOL", NoOperation => "NOP", Timestamp => "timestamp", Security => "security", RecordRoute => "RR",
                StrictRoute => "SSRR", LooseRoute => "LSRR", RouterAlert => "RA", Traceroute => "traceroute", _ => null,
            } ?? $"unknown {code}");
            int optionLength = 1;
            if (code is not (End or NoOperation))
            {
                if (at + 1 >= options.Length) return OptionsResult.Cut;
                optionLength = options[at + 1];
                if (optionLength < 2)
                {
                    line.Append(" [bad length ").Append(optionLength).Append(']');
                    return OptionsResult.Printed;
                }
            }
            if (optionLength > length)
            {
                line.Append(" [bad length ").Append(optionLength).Append(']');
                return OptionsResult.Printed;
            }
            if (at + optionLength > options.Length) return OptionsResult.OptionCut;
            var option = options.Slice(at, optionLength);
            switch (code)
            {
                case End:
                    return OptionsResult.Printed;
                case Timestamp:
                    if (!AppendTimestamps(line, options[at..], optionLength)) return OptionsResult.OptionCut;
                    break;
                case RecordRoute or StrictRoute or LooseRoute:
                    if (!AppendRoute(line, options[at..], optionLength)) return OptionsResult.OptionCut;
                    break;
                case RouterAlert when optionLength < 4:
                    line.Append(" [bad length ").Append(optionLength).Append(']');
                    break;
                case RouterAlert:
                    ushort value = BinaryPrimitives.ReadUInt16BigEndian(option[2..]);
                    if (value != 0) line.Append(" value ").Append(value);
                    break;
            }
            at += optionLength;
            length -= optionLength;
        }
        return OptionsResult.Printed;
    }

    /// <summary>A route option of <paramref name="length"/> bytes; its addresses are read in fours from the third byte
    /// while below that length, so the last may reach past the option (false when past the capture).</summary>
    private static bool AppendRoute(StringBuilder line, ReadOnlySpan<byte> option, int length)
    {
        if (length < 3)
        {
            line.Append(" [bad length ").Append(length).Append(']');
            return true;
        }
        if (((length + 1) & 3) != 0) line.Append(" [bad length ").Append(length).Append(']');
        int pointer = option[2] - 1;
        if (pointer < 3 || ((pointer + 1) & 3) != 0 || pointer > length + 1) line.Append(" [bad ptr ").Append(option[2]).Append(']');
        for (int at = 3; at < length; at += 4)
        {
            if (at + 4 > option.Length) return false;
            line.Append(' ').AppendIPv4(option.Slice(at, 4));
            if (pointer > at) line.Append(',');
        }
        return true;
    }

    /// <summary>A timestamp option of <paramref name="length"/> bytes, read hop by hop as the route is.</summary>
    private static bool AppendTimestamps(StringBuilder line, ReadOnlySpan<byte> option, int length)
    {
        if (length < 4)
        {
            line.Append("[bad length ").Append(length).Append(']');
            return true;
        }
        line.Append(" TS{");
        int flags = option[3] & 0xf;
        int hop = flags != 0 ? 8 : 4;
        if (((length - 4) & (hop - 1)) != 0) line.Append("[bad length ").Append(length).Append(']');
        int pointer = option[2] - 1, at = 0;
        if (pointer < 4 || ((pointer - 4) & (hop - 1)) != 0 || pointer > length + 1) line.Append("[bad ptr ").Append(option[2]).Append(']');
        string? type = flags switch { 0 => "TSONLY", 1 => "TS+ADDR", 3 => "PRESPEC", _ => null };
        if (type is null) line.Append("[bad ts type ").Append(flags).Append(']');
        else
        {
            line.Append(type);
            string separator = " ";
            for (at = 4; at < length; at += hop)
            {
                if (pointer == at) separator = " ^ ";
                if (at + hop > option.Length) return false;
                line.Append(separator).Append(BinaryPrimitives.ReadUInt32BigEndian(option[(at + hop - 4)..])).Append('@');
                if (hop == 8) line.AppendIPv4(option.Slice(at, 4));
                separator = " ";
            }
        }
        if (pointer == at) line.Append(" ^ ");
        if (option[3] >> 4 != 0) line.Append(" [").Append(option[3] >> 4).Append(" hops not recorded]} ");
        else line.Append('}');
        return true;
    }
}
