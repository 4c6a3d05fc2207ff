using System.Text;
using Wirecap.Formats;

namespace Wirecap.Decoding;

/// <summary>Prints one line per packet the way <c>tcpdump -n</c> does: timestamp, then IPv4/IPv6
/// with UDP (DNS summarised), TCP (flags, relative seq/ack, window, options), ICMP and ICMPv6,
/// ARP, and a hex dump for other EtherTypes. Keeps per-connection state (TCP initial sequence
/// numbers, previous timestamp), so use one printer per capture. Not thread-safe.</summary>
public sealed class PacketPrinter
{
    private readonly PacketPrinterOptions _options;
    private readonly StringBuilder _line = new(256);
    private readonly TcpSequenceTracker _tcp = new();
    private long _first = long.MinValue, _previous = long.MinValue, _number;

    /// <summary>Creates a printer.</summary>
    public PacketPrinter(PacketPrinterOptions? options = null) => _options = options ?? new PacketPrinterOptions();

    /// <summary>Formats a packet (without a trailing newline). The string is a new allocation;
    /// use <see cref="Write"/> on hot paths.</summary>
    public string Format(LinkType linkType, ReadOnlySpan<byte> data, long timestampNanoseconds, long originalLength)
    {
        Build(linkType, data, timestampNanoseconds, originalLength);
        return _line.ToString();
    }

    /// <summary>Writes a packet's line (with a newline) to <paramref name="writer"/>.</summary>
    public void Write(TextWriter writer, LinkType linkType, ReadOnlySpan<byte> data, long timestampNanoseconds, long originalLength)
    {
        Build(linkType, data, timestampNanoseconds, originalLength);
        _line.Append('\n');
        foreach (var chunk in _line.GetChunks()) writer.Write(chunk.Span);
    }

    private void Build(LinkType linkType, ReadOnlySpan<byte> data, long timestamp, long originalLength)
    {
        _line.Clear();
        if (_options.PacketNumbers) _line.Append(' ', Math.Max(0, 5 - Digits(++_number))).Append(_number).Append("  ");
        if (AppendInvalidHeader(data.Length, originalLength)) return;
        AppendTimestamp(timestamp);
        if (linkType == LinkType.Ppp)
        {
            PrintPpp(data, originalLength);
            return;
        }
        PrintLink(linkType, data, originalLength);
    }

    private static int Digits(long value) => value < 10 ? 1 : 1 + Digits(value / 10);

    private const long MaximumSnapLength = 262144;

    /// <summary>tcpdump's sanity checks of a record's lengths: a record failing them is one bracketed line, without
    /// a timestamp.</summary>
    private bool AppendInvalidHeader(long captured, long original)
    {
        bool invalid = false;
        void Next() => _line.Append(invalid ? "," : "[Invalid header:");
        if (captured == 0)
        {
            _line.Append("[Invalid header: caplen==0");
            invalid = true;
        }
        if (original == 0) { Next(); _line.Append(" len==0"); invalid = true; }
        else if (original < captured) { Next(); _line.Append(" len(").Append(original).Append(") < caplen(").Append(captured).Append(')'); invalid = true; }
        if (captured > MaximumSnapLength) { Next(); _line.Append(" caplen(").Append(captured).Append(") > ").Append(MaximumSnapLength); invalid = true; }
        if (original > MaximumSnapLength) { Next(); _line.Append(" len(").Append(original).Append(") > ").Append(MaximumSnapLength); invalid = true; }
        if (invalid) _line.Append(']');
        return invalid;
    }

    /// <summary>PPP (link type 9): the address and control bytes when present, a one- or two-byte protocol, then
    /// IPv4 or IPv6 as on any link (other protocols by number).</summary>
    private void PrintPpp(ReadOnlySpan<byte> data, long originalLength)
    {
        var rest = data;
        long length = originalLength;
        if (rest.Length >= 2 && rest[0] == 0xff && rest[1] == 0x03)
        {
            rest = rest[2..];
            length -= 2;
        }
        if (rest.Length < 2 || length < 2)
        {
            _line.Append(" [|ppp]");
            return;
        }
        int protocol;
        if ((rest[0] & 1) != 0) { protocol = rest[0]; rest = rest[1..]; length--; }
        else { protocol = rest[0] << 8 | rest[1]; rest = rest[2..]; length -= 2; }
        if (_options.LinkLevelHeader)
            _line.Append(protocol switch { 0x21 => "IP", 0x57 => "IPV6", _ => "unknown" }).Append(" (0x").AppendHexByte((byte)(protocol >> 8))
                .AppendHexByte((byte)protocol).Append("), length ").Append(originalLength).Append(": ");
        if (protocol is 0x21 or 0x57)
            IpPrinter.Print(_line, protocol == 0x21 ? EtherTypes.IPv4 : EtherTypes.IPv6, rest, length, _tcp, _options, keyword: !_options.LinkLevelHeader);
        else _line.Append("PPP protocol 0x").AppendHexByte((byte)(protocol >> 8)).AppendHexByte((byte)protocol).Append(", length ").Append(length);
        AppendDump(data, (int)(originalLength - length));
    }

    private void AppendTimestamp(long ns)
    {
        if (_first == long.MinValue) _first = ns;
        long previous = _previous == long.MinValue ? ns : _previous;
        _previous = ns;
        switch (_options.Timestamps)
        {
            case TimestampStyle.None:
                return;
            case TimestampStyle.Unix:
                AppendSecondsAndFraction(ns);
                break;
            case TimestampStyle.DeltaFromPrevious:
                _line.Append(' ');
                AppendDuration(ns - previous);
                break;
            case TimestampStyle.DeltaFromFirst:
                _line.Append(' ');
                AppendDuration(ns - _first);
                break;
            default:
                long seconds = FloorDiv(ns, 1_000_000_000L, out long fraction);
                var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(seconds), _options.TimeZone);
                if (_options.Timestamps == TimestampStyle.DateAndTime)
                    _line.Append(local.Year).Append('-').Append2(local.Month).Append('-').Append2(local.Day).Append(' ');
                _line.Append2(local.Hour).Append(':').Append2(local.Minute).Append(':').Append2(local.Second);
                AppendFraction(fraction);
                break;
        }
        _line.Append(' ');
    }

    private void AppendSecondsAndFraction(long ns)
    {
        long seconds = FloorDiv(ns, 1_000_000_000L, out long fraction);
        _line.Append(seconds);
        AppendFraction(fraction);
    }

    private void AppendDuration(long ns)
    {
        if (ns < 0) { _line.Append('-'); ns = -ns; }
        long seconds = Math.DivRem(ns, 1_000_000_000L, out long fraction);
        _line.Append2((int)(seconds / 3600)).Append(':').Append2((int)(seconds / 60 % 60)).Append(':').Append2((int)(seconds % 60));
        AppendFraction(fraction);
    }

    private void AppendFraction(long nanoseconds)
    {
        _line.Append('.');
        if (_options.Nanoseconds) _line.AppendPadded(nanoseconds, 9);
        else _line.AppendPadded(nanoseconds / 1000, 6);
    }

    private static long FloorDiv(long value, long divisor, out long remainder)
    {
        long quotient = Math.DivRem(value, divisor, out remainder);
        if (remainder < 0) { quotient--; remainder += divisor; }
        return quotient;
    }

    private void PrintLink(LinkType linkType, ReadOnlySpan<byte> data, long originalLength)
    {
        if (!LinkLayer.TryParse(linkType, data, out var link))
        {
            if (LinkLayer.IsSupported(linkType)) _line.Append("[|").Append(LinkName(linkType)).Append(']');
            else _line.Append("[link-type ").Append((int)linkType).Append("] length ").Append(originalLength);
            AppendDump(data, 0);
            return;
        }
        if (linkType == LinkType.LinuxSll2 && LinuxSll2Header.TryParse(data, out var sll2))
            AppendSll2Prefix(sll2);
        bool linkHeader = _options.LinkLevelHeader;
        bool headerPrinted = linkHeader && LinkHeaderPrinter.Print(_line, linkType, data, originalLength, _options.Quiet);
        long networkLength = originalLength - link.HeaderLength;
        switch (link.EtherType)
        {
            case EtherTypes.IPv4:
            case EtherTypes.IPv6:
                IpPrinter.Print(_line, link.EtherType, link.Payload, networkLength, _tcp, _options, keyword: !linkHeader);
                break;
            case EtherTypes.Arp:
            case EtherTypes.Rarp:
                ArpPrinter.Print(_line, link.Payload, networkLength, _options.Verbosity > 0, keyword: !linkHeader);
                break;
            default:
                PrintUnknown(linkType, data, link, originalLength, headerPrinted);
                break;
        }
        AppendDump(data, link.HeaderLength);
    }

    /// <summary>A payload the printer does not decode: tcpdump shows the link-level header (also without -e)
    /// and, unless -q or -x, a hex and ASCII dump.</summary>
    private void PrintUnknown(LinkType linkType, ReadOnlySpan<byte> data, in LinkLayer link, long originalLength, bool headerPrinted)
    {
        if (headerPrinted || (linkType != LinkType.Raw && LinkHeaderPrinter.Print(_line, linkType, data, originalLength, _options.Quiet)))
        {
            // -x and -X replace this dump; -A does not (tcpdump suppresses its default print for the first two only).
            if (!_options.Quiet && (_options.HexDump == HexDumpStyle.None || _options.DumpFormat == DumpFormat.Ascii)) _line.AppendHexDump(link.Payload);
            return;
        }
        _line.Append("ethertype 0x").AppendHexByte((byte)(link.EtherType >> 8)).AppendHexByte((byte)link.EtherType)
            .Append(", length ").Append(originalLength - link.HeaderLength);
    }

    /// <summary>-x, -X and -A dump what follows the link-level header (nothing when nothing does), -xx, -XX and -AA the
    /// whole frame.</summary>
    private void AppendDump(ReadOnlySpan<byte> data, int linkHeaderLength)
    {
        if (_options.HexDump == HexDumpStyle.None) return;
        if (_options.HexDump == HexDumpStyle.AfterLinkHeader)
        {
            if (data.Length <= linkHeaderLength) return;
            data = data[linkHeaderLength..];
        }
        if (_options.DumpFormat == DumpFormat.Ascii) AppendAscii(data);
        else _line.AppendHexDump(data, ascii: _options.DumpFormat == DumpFormat.HexAndAscii);
    }

    /// <summary>tcpdump's <c>ascii_print</c>: a new line, then each byte, graphic ones, tab, space and newline as they are,
    /// others as a dot; a carriage return is left out before a newline (and at the very end).</summary>
    private void AppendAscii(ReadOnlySpan<byte> data)
    {
        _line.Append('\n');
        for (int i = 0; i < data.Length; i++)
        {
            byte b = data[i];
            if (b == '\r')
            {
                if (data.Length - i - 1 > 1 && data[i + 1] != '\n') _line.Append('.');
            }
            else _line.Append(b is (> 0x20 and < 0x7f) or (byte)'\t' or (byte)' ' or (byte)'\n' ? (char)b : '.');
        }
    }

    private void AppendSll2Prefix(in LinuxSll2Header sll2)
    {
        int start = _line.Length;
        if (InterfaceNames.TryGet(sll2.InterfaceIndex, out var name)) _line.Append(name);
        else _line.Append('?'); // as tcpdump, when this machine has no interface of that index
        _line.Append(' ', Math.Max(1, 6 - (_line.Length - start)));
        string direction = LinkHeaderPrinter.PacketTypeName(sll2.PacketType);
        _line.Append(direction).Append(' ', 4 - direction.Length);
    }

    /// <summary>tcpdump's name and description of a link type, as in its "reading from file" line.</summary>
    public static string LinkName(LinkType linkType) => linkType switch
    {
        LinkType.Null => "NULL (BSD loopback)",
        LinkType.Ppp => "PPP (PPP)",
        LinkType.Ethernet => "EN10MB (Ethernet)",
        LinkType.Raw => "RAW (Raw IP)",
        LinkType.Loop => "LOOP (OpenBSD loopback)",
        LinkType.LinuxSll => "LINUX_SLL (Linux cooked v1)",
        LinkType.LinuxSll2 => "LINUX_SLL2 (Linux cooked v2)",
        LinkType.Ipv4 => "IPV4 (Raw IPv4)",
        LinkType.Ipv6 => "IPV6 (Raw IPv6)",
        _ => $"{(int)linkType}",
    };
}

internal static class StringBuilderNumbers
{
    public static StringBuilder Append2(this StringBuilder text, int value) =>
        text.Append((char)('0' + value / 10 % 10)).Append((char)('0' + value % 10));

    public static StringBuilder AppendPadded(this StringBuilder text, long value, int width)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out int n);
        text.Append('0', Math.Max(0, width - n));
        return text.Append(digits[..n]);
    }
}
