using System.Globalization;
using System.Net;
using Wirecap.Formats.Ncap;

namespace Wirecap.Cli;

/// <summary>One printed NCAP message, after ncaptool's <c>-g</c> trace: payload length and sender,
/// time, user fields, endpoints and transport.</summary>
internal static class NcapTraceLine
{
    public static string Format(in NcapRecord record, EndPoint sender)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(record.Seconds).UtcDateTime;
        string source = new IPAddress(record.Source).ToString(), destination = new IPAddress(record.Destination).ToString();
        string endpoints = record.Transport == NcapTransport.Icmp
            ? string.Create(CultureInfo.InvariantCulture, $"[{source}] [{destination}] icmp type {record.IcmpType} code {record.IcmpCode}")
            : string.Create(CultureInfo.InvariantCulture, $"[{source}].{record.SourcePort} [{destination}].{record.DestinationPort} {(record.Transport == NcapTransport.Tcp ? "tcp" : "udp")}");
        return string.Create(CultureInfo.InvariantCulture,
            $"[{record.Payload.Length} dg {sender}] {time:yyyy-MM-dd HH:mm:ss}.{record.Nanoseconds:D9} [{record.User1:x8} {record.User2:x8}] {endpoints}\n");
    }
}
